import { Global, Module } from '@nestjs/common';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, StorageDriver } from '../config/config';
import { FileStorage } from './file-storage';
import { LocalFileStorage } from './local-file-storage';
import { PostgresFileStorage } from './postgres-file-storage';
import { createS3Client, S3FileStorage } from './s3-file-storage';

/** Where uploaded files are served by the app, whichever driver keeps them. */
export const MEDIA_PATH = '/media/images';

/** Thrown when a driver cannot be built from the configuration (the s3 driver without S3_BUCKET). */
export class StorageNotConfigured extends Error {}

/** The driver of that name, set up from the configuration (the app's own, or the CLI's source and target). */
export function createFileStorage(driver: StorageDriver, config: AppConfig, dataSource: DataSource): FileStorage {
  const baseUrl = config.storage.mediaBaseUrl ?? `${config.publicUrl}${MEDIA_PATH}`;
  switch (driver) {
    case 'local':
      return new LocalFileStorage(join(config.dataDir, 'media'), baseUrl);
    case 'postgres':
      return new PostgresFileStorage(dataSource, baseUrl);
    case 's3': {
      const settings = config.storage.s3;
      if (!settings) {
        throw new StorageNotConfigured('S3_BUCKET is required for the s3 storage driver');
      }
      return new S3FileStorage(createS3Client(settings), settings, baseUrl);
    }
  }
}

@Global()
@Module({
  providers: [
    {
      provide: FileStorage,
      inject: [APP_CONFIG, DataSource],
      useFactory: (config: AppConfig, dataSource: DataSource) =>
        createFileStorage(config.storage.driver, config, dataSource),
    },
  ],
  exports: [FileStorage],
})
export class StorageModule {}
