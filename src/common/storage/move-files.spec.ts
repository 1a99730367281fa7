import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStorage } from './file-storage';
import { LocalFileStorage } from './local-file-storage';
import { moveFiles } from './move-files';

describe('moveFiles', () => {
  let root: string;
  let source: LocalFileStorage;
  let target: LocalFileStorage;

  const read = async (storage: FileStorage, key: string): Promise<string> => {
    const chunks: Buffer[] = [];
    for await (const chunk of (await storage.open(key))!) {
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString();
  };

  const keysOf = async (storage: FileStorage): Promise<string[]> => {
    const keys: string[] = [];
    for await (const key of storage.keys()) {
      keys.push(key);
    }
    return keys.sort();
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'dfchat-move-'));
    source = new LocalFileStorage(join(root, 'source'), '/media');
    target = new LocalFileStorage(join(root, 'target'), '/media');
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('should copy what the target lacks, and nothing more when run again', async () => {
    const keys = Array.from({ length: 7 }, (_, index) => FileStorage.newKey(index % 2 ? 'png' : 'jpg'));
    await Promise.all(keys.map((key) => source.put(key, Buffer.from(`file ${key}`))));
    await target.put(keys[0], Buffer.from(`file ${keys[0]}`));

    const first = await moveFiles(source, target, { deleteSource: false });
    const second = await moveFiles(source, target, { deleteSource: false });

    expect(first).toEqual({ found: 7, copied: 6, present: 1, deleted: 0, failed: [] });
    expect(second).toEqual({ found: 7, copied: 0, present: 7, deleted: 0, failed: [] });
    expect(await keysOf(target)).toEqual([...keys].sort());
    for (const key of keys) {
      await expect(read(target, key)).resolves.toBe(`file ${key}`);
    }
  });

  it('should empty the source with deleteSource once every file is in the target', async () => {
    const keys = [FileStorage.newKey('webp'), FileStorage.newKey('gif')];
    await Promise.all(keys.map((key) => source.put(key, Buffer.from(key))));

    const report = await moveFiles(source, target, { deleteSource: true });

    expect(report).toEqual({ found: 2, copied: 2, present: 0, deleted: 2, failed: [] });
    expect(await keysOf(source)).toEqual([]);
    expect(await keysOf(target)).toEqual([...keys].sort());
    await expect(moveFiles(source, target, { deleteSource: true })).resolves.toMatchObject({ found: 0 });
  });

  it('should count nothing for an empty or missing source', async () => {
    await expect(moveFiles(source, target, { deleteSource: false })).resolves.toEqual({
      found: 0,
      copied: 0,
      present: 0,
      deleted: 0,
      failed: [],
    });
  });
});
