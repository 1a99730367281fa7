import { randomBytes } from 'node:crypto';
import { createReadStream, ReadStream } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Where uploaded files live. Keys are unguessable and carry no user input, so they are safe as file
 * names and in URLs. An object store can stand in for the local disk by implementing this.
 */
export abstract class FileStorage {
  abstract put(key: string, data: Buffer): Promise<void>;
  /** A stream of the file, or null when there is none. */
  abstract open(key: string): Promise<ReadStream | null>;
  abstract delete(key: string): Promise<void>;
  /** The URL a client fetches the file from. */
  abstract url(key: string): string;

  /** A fresh unguessable key (192 random bits) with the given extension. */
  static newKey(extension: string): string {
    return `${randomBytes(24).toString('base64url')}.${extension}`;
  }

  static isValidKey(key: string): boolean {
    return /^[A-Za-z0-9_-]{32}\.(jpg|png|webp|gif)$/.test(key);
  }

  /** Deletes files without failing the caller: a leftover file is harmless, a failed request is not. */
  async deleteQuietly(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => this.delete(key).catch(() => undefined)));
  }
}

export class LocalFileStorage extends FileStorage {
  constructor(
    private readonly root: string,
    private readonly urlPrefix: string,
  ) {
    super();
  }

  url(key: string): string {
    return `${this.urlPrefix}${key}`;
  }

  private path(key: string): string {
    if (!FileStorage.isValidKey(key)) {
      throw new Error('invalid storage key');
    }
    // Two levels of fan-out keep directories small.
    return join(this.root, key.slice(0, 2), key);
  }

  async put(key: string, data: Buffer): Promise<void> {
    const path = this.path(key);
    await mkdir(join(this.root, key.slice(0, 2)), { recursive: true });
    await writeFile(path, data, { flag: 'wx', mode: 0o600 });
  }

  async open(key: string): Promise<ReadStream | null> {
    if (!FileStorage.isValidKey(key)) {
      return null;
    }
    const path = this.path(key);
    try {
      if (!(await stat(path)).isFile()) {
        return null;
      }
    } catch {
      return null;
    }
    return createReadStream(path);
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}
