import { Injectable, Module } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { FileStorage } from '../common/storage/file-storage';
import { ImageRow, ImageView, toImageView } from './dto/image.dto';
import { ImagesRepository } from './images.repository';

/**
 * What the modules below images need of them: whether a message has images, the files (images and
 * thumbnails) to delete when messages or rooms go (the rows go by foreign key), and images as views.
 */
@Injectable()
export class MessageImagesService {
  constructor(
    private readonly images: ImagesRepository,
    private readonly storage: FileStorage,
  ) {}

  hasImages(manager: EntityManager, messageId: string): Promise<boolean> {
    return this.images.hasImages(manager, messageId);
  }

  storageKeysOfMessages(manager: EntityManager, messageIds: string[]): Promise<string[]> {
    return this.images.storageKeysOfMessages(manager, messageIds);
  }

  storageKeysOfRoom(manager: EntityManager, roomId: string): Promise<string[]> {
    return this.images.storageKeysOfRoom(manager, roomId);
  }

  /** Deletes files whose rows are gone; a failure is logged, not thrown (the rows decide what exists). */
  deleteFiles(storageKeys: string[]): Promise<void> {
    return this.storage.deleteQuietly(storageKeys);
  }

  /** The one place where the URLs of an image's files are made, for every view of it. */
  toView(row: ImageRow): ImageView {
    return toImageView(row, (key) => this.storage.url(key));
  }
}

@Module({ providers: [ImagesRepository, MessageImagesService], exports: [ImagesRepository, MessageImagesService] })
export class MessageImagesModule {}
