import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { AccessModule } from '../access/access.module';
import { APP_CONFIG, AppConfig } from '../common/config/config';
import { MessagesModule } from '../messages/messages.module';
import { ImageProcessingPool } from './image-processing-pool';
import { ImageProcessingSlotInterceptor, multerOptions, UploadErrorsInterceptor } from './image-upload';
import { ImagesController } from './images.controller';
import { ImagesService } from './images.service';
import { MediaController } from './media.controller';
import { MessageImagesModule } from './message-images.service';

@Module({
  imports: [
    AccessModule,
    MessagesModule,
    MessageImagesModule,
    MulterModule.registerAsync({ inject: [APP_CONFIG], useFactory: (config: AppConfig) => multerOptions(config) }),
  ],
  controllers: [ImagesController, MediaController],
  providers: [ImagesService, UploadErrorsInterceptor, ImageProcessingPool, ImageProcessingSlotInterceptor],
  exports: [ImagesService],
})
export class ImagesModule {}
