import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { limitOffset, PageRequest } from '../common/http/pagination';
import { IMAGE_COLUMNS, ImageRow } from './dto/image.dto';
import { THUMBNAIL_CONTENT_TYPE } from './image-processing';
import { MessageImage } from './message-image.entity';

/**
 * The images of message alias `alias`, oldest first, as a JSON array of `ImageRow`s: the images' part
 * of a message view, for the messages repository to embed.
 */
export const imagesJsonOf = (alias: string): string =>
  `COALESCE((SELECT json_agg(json_build_object(
       'id', i.id, 'message_id', i.message_id, 'room_id', ${alias}.room_id, 'storage_key', i.storage_key,
       'width', i.width, 'height', i.height, 'name', i.name, 'size', i.size,
       'thumbnail_key', i.thumbnail_key, 'placeholder', i.placeholder) ORDER BY i.created, i.id)
     FROM message_images i WHERE i.message_id = ${alias}.id), '[]'::json)`;

interface FileKeysRow {
  storage_key: string;
  thumbnail_key: string | null;
}

/** An image's stored files: the image, and its thumbnail when it has one. */
const fileKeysOf = (row: FileKeysRow): string[] =>
  row.thumbnail_key === null ? [row.storage_key] : [row.storage_key, row.thumbnail_key];

/** Every query of `message_images`. */
@Injectable()
export class ImagesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async countOwnedBy(ownerId: string): Promise<number> {
    return this.dataSource.getRepository(MessageImage).countBy({ ownerId });
  }

  pageOwnedBy(ownerId: string, page: PageRequest): Promise<ImageRow[]> {
    return this.dataSource.query<ImageRow[]>(
      `SELECT ${IMAGE_COLUMNS} FROM message_images i JOIN messages m ON m.id = i.message_id
        WHERE i.owner_id = $1 ORDER BY i.created DESC, i.id DESC ${limitOffset(page, 2)}`,
      [ownerId, page.offset],
    );
  }

  async findOwned(imageId: string, ownerId: string): Promise<ImageRow | null> {
    const [row] = await this.dataSource.query<ImageRow[]>(
      `SELECT ${IMAGE_COLUMNS} FROM message_images i JOIN messages m ON m.id = i.message_id
        WHERE i.id = $1 AND i.owner_id = $2`,
      [imageId, ownerId],
    );
    return row ?? null;
  }

  /** The caller's image, locked for a change. */
  lockOwned(manager: EntityManager, imageId: string, ownerId: string): Promise<MessageImage | null> {
    return manager
      .getRepository(MessageImage)
      .findOne({ where: { id: imageId, ownerId }, lock: { mode: 'pessimistic_write' } });
  }

  async insert(manager: EntityManager, image: Omit<MessageImage, 'id' | 'created' | 'message' | 'owner'>) {
    const result = await manager.insert(MessageImage, image);
    return (result.identifiers[0] as { id: string }).id;
  }

  async save(manager: EntityManager, image: MessageImage): Promise<void> {
    await manager.getRepository(MessageImage).save(image);
  }

  async remove(manager: EntityManager, image: MessageImage): Promise<void> {
    await manager.getRepository(MessageImage).remove(image);
  }

  async hasImages(manager: EntityManager, messageId: string): Promise<boolean> {
    return manager.getRepository(MessageImage).existsBy({ messageId });
  }

  /** The files of these messages' images and thumbnails (the rows go with their messages, by the foreign key). */
  async storageKeysOfMessages(manager: EntityManager, messageIds: string[]): Promise<string[]> {
    const rows = await manager.query<FileKeysRow[]>(
      'SELECT storage_key, thumbnail_key FROM message_images WHERE message_id = ANY($1::uuid[])',
      [messageIds],
    );
    return rows.flatMap(fileKeysOf);
  }

  async storageKeysOfRoom(manager: EntityManager, roomId: string): Promise<string[]> {
    const rows = await manager.query<FileKeysRow[]>(
      `SELECT i.storage_key, i.thumbnail_key FROM message_images i JOIN messages m ON m.id = i.message_id
        WHERE m.room_id = $1`,
      [roomId],
    );
    return rows.flatMap(fileKeysOf);
  }

  /** The type and size of the image or thumbnail stored under this key, while an image has it. */
  async fileOf(key: string): Promise<{ contentType: string; size: number } | null> {
    const [row] = await this.dataSource.query<{ content_type: string; size: number }[]>(
      `SELECT content_type, size FROM message_images WHERE storage_key = $1
       UNION ALL
       SELECT $2, thumbnail_size FROM message_images WHERE thumbnail_key = $1
       LIMIT 1`,
      [key, THUMBNAIL_CONTENT_TYPE],
    );
    return row ? { contentType: row.content_type, size: row.size } : null;
  }

  /** A page of images stored before thumbnails were made at upload, by id after `afterId`. */
  withoutThumbnail(afterId: string | null, limit: number): Promise<{ id: string; storage_key: string }[]> {
    return this.dataSource.query(
      `SELECT id, storage_key FROM message_images
        WHERE thumbnail_key IS NULL AND ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id LIMIT $2`,
      [afterId, limit],
    );
  }

  /**
   * Gives an image its thumbnail, unless it has one already or is gone; whether it did. A plain update,
   * not an entity save: filling in old images is no change to push to clients.
   */
  async setThumbnail(
    imageId: string,
    thumbnail: { key: string; size: number; placeholder: string | null },
  ): Promise<boolean> {
    // Counted by a SELECT, whose answer is rows on every driver (an UPDATE's is not).
    const [{ updated }] = await this.dataSource.query<{ updated: number }[]>(
      `WITH updated AS (
         UPDATE message_images SET thumbnail_key = $2, thumbnail_size = $3, placeholder = $4
          WHERE id = $1 AND thumbnail_key IS NULL RETURNING id)
       SELECT count(*)::int AS updated FROM updated`,
      [imageId, thumbnail.key, thumbnail.size, thumbnail.placeholder],
    );
    return updated > 0;
  }

  count(): Promise<number> {
    return this.dataSource.getRepository(MessageImage).count();
  }
}
