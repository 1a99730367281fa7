import { ApiProperty } from '@nestjs/swagger';
import { ApiIdProperty, ApiIntegerProperty, ApiUrlProperty } from '../../common/openapi/properties';
import { MAX_PLACEHOLDER_LENGTH, PLACEHOLDER_PREFIX, THUMBNAIL_SIZE } from '../image-processing';

export class ImageDto {
  @ApiIdProperty()
  id: string;

  @ApiIdProperty()
  message_id: string;

  @ApiIdProperty()
  room_id: string;

  @ApiUrlProperty({
    description: 'URL of the stored file (unguessable; path-absolute unless PUBLIC_URL or MEDIA_BASE_URL is set)',
  })
  image: string;

  @ApiIntegerProperty({ minimum: 1, description: 'Width in pixels, after EXIF orientation' })
  width: number;

  @ApiIntegerProperty({ minimum: 1, description: 'Height in pixels, after EXIF orientation' })
  height: number;

  @ApiProperty({ description: 'The uploaded file name' })
  name: string;

  @ApiIntegerProperty({ description: 'Stored size in bytes' })
  size: number;

  @ApiUrlProperty({
    nullable: true,
    description:
      `URL of a WebP of the image (its first frame, if animated) whose longer side is at most ${THUMBNAIL_SIZE} px, ` +
      'never enlarged, with the aspect ratio kept; null for images uploaded before thumbnails were made',
  })
  thumbnail: string | null;

  @ApiProperty({
    type: 'string',
    nullable: true,
    pattern: `^${PLACEHOLDER_PREFIX}[A-Za-z0-9+/]+=*$`,
    maxLength: MAX_PLACEHOLDER_LENGTH,
    description:
      `A tiny blurred WebP of the image as a data URI of at most ${MAX_PLACEHOLDER_LENGTH} characters, to show ` +
      'while the thumbnail loads; null for images uploaded before placeholders were made',
  })
  placeholder: string | null;
}

/** What an image is, independent of who looks at it. */
export interface ImageView {
  id: string;
  messageId: string;
  roomId: string;
  url: string;
  width: number;
  height: number;
  name: string;
  size: number;
  thumbnailUrl: string | null;
  placeholder: string | null;
}

export const mapImage = (view: ImageView): ImageDto => ({
  id: view.id,
  message_id: view.messageId,
  room_id: view.roomId,
  image: view.url,
  width: view.width,
  height: view.height,
  name: view.name,
  size: view.size,
  thumbnail: view.thumbnailUrl,
  placeholder: view.placeholder,
});

/** An image row as read with `IMAGE_COLUMNS` (images as `i`, joined to their message as `m`), or as JSON in a message view. */
export interface ImageRow {
  id: string;
  message_id: string;
  room_id: string;
  storage_key: string;
  width: number;
  height: number;
  name: string;
  size: number;
  thumbnail_key: string | null;
  placeholder: string | null;
}

export const IMAGE_COLUMNS =
  'i.id, i.message_id, m.room_id, i.storage_key, i.width, i.height, i.name, i.size, i.thumbnail_key, i.placeholder';

/** @param urlOf the URL of a stored file's key (`MessageImagesService.toView` passes the storage's). */
export const toImageView = (row: ImageRow, urlOf: (key: string) => string): ImageView => ({
  id: row.id,
  messageId: row.message_id,
  roomId: row.room_id,
  url: urlOf(row.storage_key),
  width: row.width,
  height: row.height,
  name: row.name,
  size: row.size,
  thumbnailUrl: row.thumbnail_key === null ? null : urlOf(row.thumbnail_key),
  placeholder: row.placeholder,
});
