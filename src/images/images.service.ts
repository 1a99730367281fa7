import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Readable } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';
import { RoomAccessService } from '../access/room-access.service';
import type { AuthUser } from '../auth/auth-user';
import { isForeignKeyViolation } from '../common/database/postgres-errors';
import { APP_CONFIG, AppConfig } from '../common/config/config';
import { AppError, invalid, notFound } from '../common/errors/app-error';
import { Page, PageQueryDto, toPage, toPageRequest } from '../common/http/pagination';
import { FileStorage } from '../common/storage/file-storage';
import { isId } from '../common/validation/decorators';
import { MessagesService } from '../messages/messages.service';
import { MoveImageDto, UploadImageDto } from './dto/image-input.dto';
import { ImageDto, ImageRow, mapImage } from './dto/image.dto';
import { ImageLimits, previewOf, processImage, sanitizeFileName, THUMBNAIL_EXTENSION } from './image-processing';
import { ImagesRepository } from './images.repository';
import { MessageImage } from './message-image.entity';
import { MessageImagesService } from './message-images.service';

/** The part of an uploaded file the service needs (multer's `Express.Multer.File` fits). */
export interface UploadedImageFile {
  buffer: Buffer;
  originalname: string;
}

/** What making the missing thumbnails did. */
export interface ThumbnailReport {
  /** Images without a thumbnail. */
  found: number;
  made: number;
  /** Could not be made (a file missing or undecodable); a later run tries them again. */
  failed: { imageId: string; error: string }[];
}

/** Images read per statement when making the missing thumbnails. */
const THUMBNAIL_PAGE = 100;

/** A stored file ready to be sent. */
export interface ImageFile {
  stream: Readable;
  contentType: string;
  size: number;
}

type Target = { kind: 'message'; messageId: string } | { kind: 'room'; roomId: string };

/** Also for a message deleted between our check and our write, which trips the image's foreign key. */
const noSuchMessage = () => invalid('message_id', 'No message with this id');

/**
 * Images attached to messages. Every image belongs to the author of its message, who alone sees it
 * here (others see it inside the message).
 */
@Injectable()
export class ImagesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly images: ImagesRepository,
    private readonly access: RoomAccessService,
    private readonly messages: MessagesService,
    private readonly storage: FileStorage,
    private readonly messageImages: MessageImagesService,
  ) {}

  async list(auth: AuthUser, query: PageQueryDto, url: URL): Promise<Page<ImageDto>> {
    const page = toPageRequest(query, url);
    const count = await this.images.countOwnedBy(auth.id);
    const rows = await this.images.pageOwnedBy(auth.id, page);
    return toPage(
      page,
      count,
      rows.map((row) => this.toDto(row)),
    );
  }

  async get(auth: AuthUser, imageId: string): Promise<ImageDto> {
    return this.requireDto(auth, imageId);
  }

  /**
   * Stores an image on a message of the caller's, or on a new empty message of theirs in a room they
   * can see. That message is created in the transaction that adds the image, so no message without
   * body or image is ever committed.
   */
  async upload(auth: AuthUser, dto: UploadImageDto, file: UploadedImageFile | undefined): Promise<ImageDto> {
    const target = this.toTarget(dto);
    if (!file) {
      throw new AppError('required', 'image is required: send the file in the multipart field "image"', 'image');
    }
    // Access first, before spending work on the file; checked again where the row is written.
    if (target.kind === 'message') {
      await this.requireAttachableMessage(auth, target.messageId);
    } else {
      await this.access.requireVisible(auth, target.roomId);
    }
    const image = await processImage(file.buffer, this.limits());
    const storageKey = FileStorage.newKey(image.extension);
    const thumbnailKey = FileStorage.newKey(THUMBNAIL_EXTENSION);
    const fileKeys = [storageKey, thumbnailKey];
    try {
      await Promise.all([this.storage.put(storageKey, image.data), this.storage.put(thumbnailKey, image.thumbnail)]);
    } catch (error) {
      await this.storage.deleteQuietly(fileKeys);
      throw error;
    }
    let imageId: string;
    try {
      imageId = await this.dataSource.transaction(async (manager) => {
        const messageId =
          target.kind === 'message'
            ? (await this.requireAttachableMessage(auth, target.messageId, manager)).id
            : await this.messages.createForAttachment(manager, auth, target.roomId);
        return this.images.insert(manager, {
          messageId,
          ownerId: auth.id,
          storageKey,
          contentType: image.contentType,
          width: image.width,
          height: image.height,
          name: sanitizeFileName(file.originalname, image.extension),
          size: image.data.length,
          thumbnailKey,
          thumbnailSize: image.thumbnail.length,
          placeholder: image.placeholder,
        });
      });
    } catch (error) {
      await this.storage.deleteQuietly(fileKeys);
      throw isForeignKeyViolation(error) ? noSuchMessage() : error;
    }
    return this.requireDto(auth, imageId);
  }

  /** Moves an image to another message of the owner's; a message it leaves empty is deleted. */
  async move(auth: AuthUser, imageId: string, dto: MoveImageDto): Promise<ImageDto> {
    let fileKeys: string[];
    try {
      fileKeys = await this.dataSource.transaction(async (manager) => {
        const image = await this.requireOwnImage(manager, auth, imageId);
        const target = await this.requireAttachableMessage(auth, dto.message_id, manager);
        if (target.id === image.messageId) {
          return [];
        }
        const source = image.messageId;
        image.messageId = target.id;
        await this.images.save(manager, image);
        return this.messages.deleteIfEmpty(manager, source);
      });
    } catch (error) {
      throw isForeignKeyViolation(error) ? noSuchMessage() : error;
    }
    await this.storage.deleteQuietly(fileKeys);
    return this.requireDto(auth, imageId);
  }

  /** Deletes an image and its files; a message it leaves with neither body nor images goes with it. */
  async delete(auth: AuthUser, imageId: string): Promise<void> {
    const fileKeys = await this.dataSource.transaction(async (manager) => {
      const image = await this.requireOwnImage(manager, auth, imageId);
      const { storageKey, thumbnailKey, messageId } = image;
      await this.images.remove(manager, image);
      const ownKeys = thumbnailKey === null ? [storageKey] : [storageKey, thumbnailKey];
      return [...ownKeys, ...(await this.messages.deleteIfEmpty(manager, messageId))];
    });
    await this.storage.deleteQuietly(fileKeys);
  }

  /** The file stored under this key, while an image has it: the key is the secret, so no auth. */
  async openFile(key: string): Promise<ImageFile> {
    if (!FileStorage.isValidKey(key)) {
      throw notFound('File');
    }
    const file = await this.images.fileOf(key);
    const stream = file ? await this.storage.open(key) : null;
    if (!file || !stream) {
      throw notFound('File');
    }
    return { stream, ...file };
  }

  /**
   * Makes the thumbnails and placeholders of images stored before they were made at upload, one image
   * at a time (for the admin CLI, beside running instances). Running it again does only what is left.
   */
  async makeMissingThumbnails(): Promise<ThumbnailReport> {
    const report: ThumbnailReport = { found: 0, made: 0, failed: [] };
    for (let afterId: string | null = null; ;) {
      const page = await this.images.withoutThumbnail(afterId, THUMBNAIL_PAGE);
      for (const { id, storage_key } of page) {
        report.found++;
        try {
          await this.makeThumbnail(id, storage_key);
          report.made++;
        } catch (error) {
          report.failed.push({ imageId: id, error: error instanceof Error ? error.message : String(error) });
        }
      }
      if (page.length < THUMBNAIL_PAGE) {
        return report;
      }
      afterId = page[page.length - 1].id;
    }
  }

  private async makeThumbnail(imageId: string, storageKey: string): Promise<void> {
    const stream = await this.storage.open(storageKey);
    if (!stream) {
      throw new Error(`file ${storageKey} is missing`);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
    }
    let preview;
    try {
      preview = await previewOf(Buffer.concat(chunks), this.limits());
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`file ${storageKey} could not be decoded: ${reason}`, { cause: error });
    }
    const key = FileStorage.newKey(THUMBNAIL_EXTENSION);
    await this.storage.put(key, preview.thumbnail);
    const set = await this.images
      .setThumbnail(imageId, {
        key,
        size: preview.thumbnail.length,
        placeholder: preview.placeholder,
      })
      .catch(async (error: unknown) => {
        await this.storage.deleteQuietly([key]);
        throw error;
      });
    if (!set) {
      // Deleted meanwhile, or given one by another run.
      await this.storage.deleteQuietly([key]);
    }
  }

  /** Site-wide count, for the admin CLI. */
  count(): Promise<number> {
    return this.images.count();
  }

  private toTarget(dto: UploadImageDto): Target {
    if (dto.message_id && dto.room_id) {
      throw invalid('room_id', 'Send message_id or room_id, not both');
    }
    if (dto.message_id) {
      return { kind: 'message', messageId: dto.message_id };
    }
    if (dto.room_id) {
      return { kind: 'room', roomId: dto.room_id };
    }
    throw new AppError('required', 'message_id or room_id is required', 'message_id');
  }

  /** A message of the caller's that can take images: 400 when not visible, 403 when someone else's. */
  private async requireAttachableMessage(auth: AuthUser, messageId: string, manager?: EntityManager) {
    const message = await this.messages.requireOwnMessage(auth, messageId, 'message_id', manager);
    if (message.isReaction) {
      throw invalid('message_id', 'Images cannot be attached to a reaction');
    }
    return message;
  }

  /** The caller's image, locked for a change; anyone else's is not found. */
  private async requireOwnImage(manager: EntityManager, auth: AuthUser, imageId: string): Promise<MessageImage> {
    const image = isId(imageId) ? await this.images.lockOwned(manager, imageId, auth.id) : null;
    if (!image) {
      throw notFound('Image');
    }
    return image;
  }

  private async requireDto(auth: AuthUser, imageId: string): Promise<ImageDto> {
    const row = isId(imageId) ? await this.images.findOwned(imageId, auth.id) : null;
    if (!row) {
      throw notFound('Image');
    }
    return this.toDto(row);
  }

  private limits(): ImageLimits {
    return {
      maxPixels: this.config.limits.imagePixels,
      maxPalettePixels: this.config.limits.palettePixels,
      timeoutSeconds: this.config.images.timeoutSeconds,
    };
  }

  private toDto(row: ImageRow): ImageDto {
    return mapImage(this.messageImages.toView(row));
  }
}
