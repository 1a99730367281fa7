import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { FileStorage } from './file-storage';

/** Big enough that a typical image is a few statements, small enough to keep serving memory flat. */
export const CHUNK_BYTES = 256 * 1024;

const toBuffer = (data: Uint8Array): Buffer => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

/**
 * Files in the application's database (`media_files`, `media_file_chunks`), so that every instance
 * on it serves every file with nothing else to run. A file is written in one transaction and read
 * back one chunk per statement, so serving it never holds more than a chunk in memory.
 */
export class PostgresFileStorage extends FileStorage {
  /** @param sizes smaller in tests, so that a few bytes span several chunks and pages. */
  constructor(
    private readonly dataSource: DataSource,
    baseUrl: string,
    private readonly sizes = { chunkBytes: CHUNK_BYTES, keysPerPage: 1000 },
  ) {
    super(baseUrl);
  }

  async put(key: string, data: Buffer): Promise<void> {
    FileStorage.requireValidKey(key);
    await this.dataSource.transaction(async (manager) => {
      await manager.query('INSERT INTO media_files (key, size) VALUES ($1, $2)', [key, data.length]);
      for (let part = 0; part * this.sizes.chunkBytes < data.length; part++) {
        const chunk = data.subarray(part * this.sizes.chunkBytes, (part + 1) * this.sizes.chunkBytes);
        await manager.query('INSERT INTO media_file_chunks (file_key, part, data) VALUES ($1, $2, $3)', [
          key,
          part,
          chunk,
        ]);
      }
    });
  }

  async open(key: string): Promise<Readable | null> {
    const size = await this.sizeOf(key);
    if (size === null) {
      return null;
    }
    const readChunk = async (part: number): Promise<Buffer | null> => {
      const [row] = await this.dataSource.query<{ data: Uint8Array }[]>(
        'SELECT data FROM media_file_chunks WHERE file_key = $1 AND part = $2',
        [key, part],
      );
      return row ? toBuffer(row.data) : null;
    };
    async function* chunks(): AsyncGenerator<Buffer> {
      let sent = 0;
      for (let part = 0; sent < size!; part++) {
        const chunk = await readChunk(part);
        if (!chunk) {
          // Deleted while being read: fail the stream rather than end it short.
          throw new Error(`file ${key} went away while being read`);
        }
        sent += chunk.length;
        yield chunk;
      }
    }
    // Pulled one chunk at a time, as the client takes them.
    return Readable.from(chunks(), { objectMode: false, highWaterMark: 1 });
  }

  async has(key: string): Promise<boolean> {
    return (await this.sizeOf(key)) !== null;
  }

  async delete(key: string): Promise<void> {
    // Its chunks go with it (ON DELETE CASCADE).
    await this.dataSource.query('DELETE FROM media_files WHERE key = $1', [key]);
  }

  async *keys(): AsyncIterable<string> {
    let after = '';
    for (;;) {
      const rows = await this.dataSource.query<{ key: string }[]>(
        'SELECT key FROM media_files WHERE key > $1 ORDER BY key LIMIT $2',
        [after, this.sizes.keysPerPage],
      );
      for (const { key } of rows) {
        yield key;
      }
      if (rows.length < this.sizes.keysPerPage) {
        return;
      }
      after = rows[rows.length - 1].key;
    }
  }

  private async sizeOf(key: string): Promise<number | null> {
    if (!FileStorage.isValidKey(key)) {
      return null;
    }
    const [row] = await this.dataSource.query<{ size: number }[]>('SELECT size FROM media_files WHERE key = $1', [key]);
    return row ? row.size : null;
  }
}
