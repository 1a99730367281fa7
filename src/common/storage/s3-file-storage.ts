import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { S3Settings } from '../config/config';
import { FileStorage } from './file-storage';

const isNotFound = (error: unknown): boolean =>
  error instanceof S3ServiceException && (error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404);

export function createS3Client(settings: S3Settings): S3Client {
  return new S3Client({
    region: settings.region,
    endpoint: settings.endpoint ?? undefined,
    forcePathStyle: settings.forcePathStyle,
    credentials:
      settings.accessKeyId !== null && settings.secretAccessKey !== null
        ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey }
        : undefined,
    // Checksums only where the API demands them: many S3-compatible stores reject or ignore the
    // newer flexible-checksum headers that the SDK would otherwise add to every request.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/**
 * Files as objects in an S3-compatible bucket, under `S3_PREFIX`. Objects carry their content type and
 * the same immutable caching as the app's media route, so that a CDN in front of the bucket
 * (`MEDIA_BASE_URL`) can serve them as they are.
 */
export class S3FileStorage extends FileStorage {
  constructor(
    private readonly client: S3Client,
    private readonly settings: Pick<S3Settings, 'bucket' | 'prefix'>,
    baseUrl: string,
  ) {
    super(baseUrl);
  }

  private objectKey(key: string): string {
    FileStorage.requireValidKey(key);
    return `${this.settings.prefix}${key}`;
  }

  async put(key: string, data: Buffer): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.settings.bucket,
        Key: this.objectKey(key),
        Body: data,
        ContentLength: data.length,
        ContentType: FileStorage.contentTypeOf(key),
        CacheControl: 'public, max-age=31536000, immutable',
      }),
    );
  }

  async open(key: string): Promise<Readable | null> {
    if (!FileStorage.isValidKey(key)) {
      return null;
    }
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key) }),
      );
      // In Node.js the body is the HTTP response itself, read as the client reads ours.
      return (object.Body as Readable | undefined) ?? null;
    } catch (error) {
      if (isNotFound(error)) {
        return null;
      }
      throw error;
    }
  }

  async has(key: string): Promise<boolean> {
    if (!FileStorage.isValidKey(key)) {
      return false;
    }
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key) }));
      return true;
    } catch (error) {
      if (isNotFound(error)) {
        return false;
      }
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key) }));
  }

  async *keys(): AsyncIterable<string> {
    const pages = paginateListObjectsV2(
      { client: this.client },
      { Bucket: this.settings.bucket, Prefix: this.settings.prefix || undefined },
    );
    for await (const page of pages) {
      for (const object of page.Contents ?? []) {
        const key = object.Key?.slice(this.settings.prefix.length);
        if (key !== undefined && FileStorage.isValidKey(key)) {
          yield key;
        }
      }
    }
  }
}
