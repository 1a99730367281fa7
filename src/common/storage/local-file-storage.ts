import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, opendir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { FileStorage } from './file-storage';

/** Files on this instance's disk, under DATA_DIR: for one instance. */
export class LocalFileStorage extends FileStorage {
  constructor(
    private readonly root: string,
    baseUrl: string,
  ) {
    super(baseUrl);
  }

  private path(key: string): string {
    FileStorage.requireValidKey(key);
    // Two levels of fan-out keep directories small.
    return join(this.root, key.slice(0, 2), key);
  }

  async put(key: string, data: Buffer): Promise<void> {
    const path = this.path(key);
    await mkdir(join(this.root, key.slice(0, 2)), { recursive: true });
    // Written aside and renamed, so that a crash never leaves a partial file under the key.
    const partial = `${path}.${randomBytes(6).toString('hex')}.partial`;
    try {
      await writeFile(partial, data, { flag: 'wx', mode: 0o600 });
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  async open(key: string): Promise<Readable | null> {
    return (await this.has(key)) ? createReadStream(this.path(key)) : null;
  }

  async has(key: string): Promise<boolean> {
    if (!FileStorage.isValidKey(key)) {
      return false;
    }
    try {
      return (await stat(this.path(key))).isFile();
    } catch {
      return false;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async *keys(): AsyncIterable<string> {
    let fanOut;
    try {
      fanOut = await opendir(this.root);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return;
      }
      throw error;
    }
    for await (const directory of fanOut) {
      if (directory.isDirectory()) {
        for await (const file of await opendir(join(this.root, directory.name))) {
          if (file.isFile() && FileStorage.isValidKey(file.name)) {
            yield file.name;
          }
        }
      }
    }
  }
}
