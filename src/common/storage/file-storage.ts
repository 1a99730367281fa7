import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';

const CONTENT_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
};

/**
 * Where uploaded files live: the local disk, PostgreSQL or an S3-compatible bucket (`STORAGE`). Keys
 * are unguessable and carry no user input, so they are safe as file names, object keys and in URLs.
 */
export abstract class FileStorage {
  /** @param baseUrl what a key is appended to for clients: the app's media route, or a CDN. */
  protected constructor(private readonly baseUrl: string) {}

  /** Stores a new file; the key must be one of `newKey`'s. */
  abstract put(key: string, data: Buffer): Promise<void>;
  /** A stream of the file, or null when there is none. */
  abstract open(key: string): Promise<Readable | null>;
  abstract delete(key: string): Promise<void>;
  /** Whether a whole file is stored under the key (a put is all or nothing in every driver). */
  abstract has(key: string): Promise<boolean>;
  /** Every key stored, in no particular order (for moving files between drivers). */
  abstract keys(): AsyncIterable<string>;

  /** The URL a client fetches the file from. */
  url(key: string): string {
    return `${this.baseUrl}/${key}`;
  }

  /** A fresh unguessable key (192 random bits) with the given extension. */
  static newKey(extension: string): string {
    return `${randomBytes(24).toString('base64url')}.${extension}`;
  }

  static isValidKey(key: string): boolean {
    return /^[A-Za-z0-9_-]{32}\.(jpg|png|webp|gif)$/.test(key);
  }

  /** The content type a key's extension stands for (what object stores and CDNs serve the file as). */
  static contentTypeOf(key: string): string {
    return CONTENT_TYPES[key.slice(key.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
  }

  /** Deletes files without failing the caller: a leftover file is harmless, a failed request is not. */
  async deleteQuietly(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => this.delete(key).catch(() => undefined)));
  }

  protected static requireValidKey(key: string): void {
    if (!FileStorage.isValidKey(key)) {
      throw new Error('invalid storage key');
    }
  }
}
