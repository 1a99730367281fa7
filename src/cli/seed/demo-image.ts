import sharp from 'sharp';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../auth/auth-user';
import { FileStorage } from '../../common/storage/file-storage';
import { MessageImage } from '../../images/message-image.entity';
import { MessagesService } from '../../messages/messages.service';

const WIDTH = 160;
const HEIGHT = 120;

/** A small generated picture: a colour gradient with a disc, as a PNG. */
export async function renderDemoPng(): Promise<Buffer> {
  const pixels = Buffer.alloc(WIDTH * HEIGHT * 3);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const inDisc = (x - WIDTH / 2) ** 2 + (y - HEIGHT / 2) ** 2 < (HEIGHT / 4) ** 2;
      const offset = (y * WIDTH + x) * 3;
      pixels[offset] = inDisc ? 255 : Math.round((x / WIDTH) * 255);
      pixels[offset + 1] = inDisc ? 255 : Math.round((y / HEIGHT) * 255);
      pixels[offset + 2] = inDisc ? 255 : 180;
    }
  }
  return sharp(pixels, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
    .png()
    .toBuffer();
}

/**
 * Posts a message of the author's in the room carrying the picture, as the images API does for an
 * upload with a room_id. Kept in this one function until an images service can do it.
 */
export async function postDemoImage(
  deps: { dataSource: DataSource; messages: MessagesService; storage: FileStorage },
  author: AuthUser,
  roomId: string,
): Promise<string> {
  const png = await renderDemoPng();
  const key = FileStorage.newKey('png');
  await deps.storage.put(key, png);
  try {
    return await deps.dataSource.transaction(async (manager) => {
      const messageId = await deps.messages.createForAttachment(manager, author, roomId);
      await manager.insert(MessageImage, {
        messageId,
        ownerId: author.id,
        storageKey: key,
        contentType: 'image/png',
        width: WIDTH,
        height: HEIGHT,
        name: 'df-chat-demo.png',
        size: png.length,
      });
      return messageId;
    });
  } catch (error) {
    await deps.storage.deleteQuietly([key]);
    throw error;
  }
}
