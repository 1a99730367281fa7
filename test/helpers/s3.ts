import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/** An S3-compatible server (s3rver) on a free local port, keeping its bucket in a temporary folder. */
export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** What an app needs to keep its files in the bucket, under `prefix`. */
  env(prefix?: string): Record<string, string>;
  /** The object's content type, or null when the bucket has no such object. */
  contentTypeOf(objectKey: string): Promise<string | null>;
  stop(): Promise<void>;
}

// s3rver's fixed credentials: it checks request signatures against them.
const ACCESS_KEY = 'S3RVER';

export async function startS3Server(bucket = 'chat-media'): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), 'dfchat-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: ACCESS_KEY },
  });
  return {
    endpoint,
    bucket,
    env: (prefix = '') => ({
      S3_ENDPOINT: endpoint,
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: ACCESS_KEY,
      S3_SECRET_ACCESS_KEY: ACCESS_KEY,
      S3_FORCE_PATH_STYLE: 'true',
      S3_PREFIX: prefix,
    }),
    async contentTypeOf(objectKey) {
      try {
        return (await client.send(new HeadObjectCommand({ Bucket: bucket, Key: objectKey }))).ContentType ?? '';
      } catch (error) {
        if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) {
          return null;
        }
        throw error;
      }
    },
    async stop() {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
