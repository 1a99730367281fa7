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

export class MoveImageDto {
  @IdField({ description: "Another message of the owner's to move the image to" })
  message_id: string;
}
