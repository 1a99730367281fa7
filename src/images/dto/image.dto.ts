import { ApiProperty } from '@nestjs/swagger';

export class ImageDto {
  @ApiProperty()
  id: string;

  @ApiProperty()
  message_id: string;

  @ApiProperty()
  room_id: string;

  @ApiProperty({ description: 'URL of the stored file (unguessable; path-absolute unless PUBLIC_URL is set)' })
  image: string;

  @ApiProperty({ description: 'Width in pixels, after EXIF orientation' })
  width: number;

  @ApiProperty({ description: 'Height in pixels, after EXIF orientation' })
  height: number;

  @ApiProperty({ description: 'The uploaded file name' })
  name: string;

  @ApiProperty({ description: 'Stored size in bytes' })
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
