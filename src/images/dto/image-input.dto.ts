import { ApiProperty } from '@nestjs/swagger';
import { IdField } from '../../common/validation/decorators';

/** The text fields of an upload; the file itself is the `image` part. */
export class UploadImageDto {
  @IdField({ optional: true, description: "Attach to this message of the caller's" })
  message_id?: string;

  @IdField({
    optional: true,
    description: "Attach to a new, empty message of the caller's in this room (when no message_id is given)",
  })
  room_id?: string;
}

/** The OpenAPI description of the multipart upload body. */
export class UploadImageBodyDto extends UploadImageDto {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description:
      'A JPEG, PNG, WebP or GIF image (what the bytes are decides, not the name or content type), ' +
      'at most MAX_UPLOAD_BYTES bytes and MAX_IMAGE_PIXELS pixels',
  })
  image: unknown;
}

export class MoveImageDto {
  @IdField({ description: "Another message of the owner's to move the image to" })
  message_id: string;
}
