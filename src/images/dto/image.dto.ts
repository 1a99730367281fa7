import { ApiProperty } from '@nestjs/swagger';
import { ApiIdProperty, ApiIntegerProperty, ApiUrlProperty } from '../../common/openapi/properties';

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
}

export const IMAGE_COLUMNS = 'i.id, i.message_id, m.room_id, i.storage_key, i.width, i.height, i.name, i.size';

export const toImageView = (row: ImageRow, url: string): ImageView => ({
  id: row.id,
  messageId: row.message_id,
  roomId: row.room_id,
  url,
  width: row.width,
  height: row.height,
  name: row.name,
  size: row.size,
});
