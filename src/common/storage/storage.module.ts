import { Global, Module } from '@nestjs/common';
import { join } from 'node:path';
import { APP_CONFIG, AppConfig } from '../config/config';
import { FileStorage, LocalFileStorage } from './file-storage';

/** Where uploaded files are served. */
export const MEDIA_PATH = '/media/images';

@Global()
@Module({
  providers: [
    {
      provide: FileStorage,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new LocalFileStorage(join(config.dataDir, 'media'), `${config.publicUrl}${MEDIA_PATH}/`),
    },
  ],
  exports: [FileStorage],
})
export class StorageModule {}
