import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { AppError } from '../common/errors/app-error';
import { MAX_PLACEHOLDER_LENGTH, PLACEHOLDER_PREFIX, processImage, sanitizeFileName } from './image-processing';

const limits = { maxPixels: 1_000_000, maxPalettePixels: 1_000_000, timeoutSeconds: 5 };

const solid = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 40 } } });

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('processImage', () => {
  it('should keep each accepted format and report its size', async () => {
    for (const [format, contentType, extension] of [
      ['jpeg', 'image/jpeg', 'jpg'],
      ['png', 'image/png', 'png'],
      ['webp', 'image/webp', 'webp'],
      ['gif', 'image/gif', 'gif'],
    ] as const) {
      const input = await solid(30, 12).toFormat(format).toBuffer();
      const image = await processImage(input, limits);
      expect(image).toMatchObject({ format, contentType, extension, width: 30, height: 12 });
      expect((await sharp(image.data).metadata()).format).toBe(format);
    }
  });

  it('should apply the EXIF orientation to the pixels and strip every piece of metadata', async () => {
    const input = await solid(40, 20)
      .withMetadata({ orientation: 6 })
      .withExif({ IFD0: { Make: 'SecretCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
      .jpeg()
      .toBuffer();
    expect((await sharp(input).metadata()).exif).toBeDefined();

    const image = await processImage(input, limits);

    expect(image).toMatchObject({ width: 20, height: 40 });
    const stored = await sharp(image.data).metadata();
    expect(stored).toMatchObject({ width: 20, height: 40 });
    expect(stored.exif).toBeUndefined();
    expect(stored.xmp).toBeUndefined();
    expect(stored.orientation).toBeUndefined();
    expect(image.data.includes('SecretCam')).toBe(false);
  });

  it('should keep the frames of an animated GIF and report the size of one frame', async () => {
    const frame = (colour: string) =>
      sharp({ create: { width: 10, height: 30, channels: 4, background: colour } })
        .png()
        .toBuffer();
    const input = await sharp([await frame('#00f'), await frame('#f00'), await frame('#0f0')], {
      join: { animated: true },
    })
      .gif()
      .toBuffer();

    const image = await processImage(input, limits);

    expect(image).toMatchObject({ format: 'gif', width: 10, height: 30 });
    expect((await sharp(image.data, { animated: true }).metadata()).pages).toBe(3);
  });

  it('should make a WebP thumbnail of at most 320 px on the longer side, keeping the aspect ratio', async () => {
    for (const [width, height, thumbWidth, thumbHeight] of [
      [1000, 750, 320, 240],
      [300, 900, 107, 320],
      [30, 20, 30, 20],
    ]) {
      const input = await solid(width, height).jpeg().toBuffer();
      const { thumbnail } = await processImage(input, limits);
      expect(await sharp(thumbnail).metadata()).toMatchObject({
        format: 'webp',
        width: thumbWidth,
        height: thumbHeight,
      });
    }
  });

  it('should orient the thumbnail and make it of the first frame of an animation', async () => {
    const rotated = await solid(40, 20).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    expect(await sharp((await processImage(rotated, limits)).thumbnail).metadata()).toMatchObject({
      width: 20,
      height: 40,
    });
    const frame = (colour: string) =>
      sharp({ create: { width: 10, height: 30, channels: 4, background: colour } })
        .png()
        .toBuffer();
    const gif = await sharp([await frame('#00f'), await frame('#f00')], { join: { animated: true } })
      .gif()
      .toBuffer();
    const still = await sharp((await processImage(gif, limits)).thumbnail).metadata();
    expect(still).toMatchObject({ format: 'webp', width: 10, height: 30 });
    expect(still.pages ?? 1).toBe(1);
  });

  it('should make a blurred WebP placeholder of at most 1 KB, even of noise with transparency', async () => {
    const side = 900;
    const noise = await sharp(randomBytes(side * side * 4), { raw: { width: side, height: side, channels: 4 } })
      .png()
      .toBuffer();
    for (const input of [noise, await solid(30, 20).jpeg().toBuffer(), await solid(1, 1000).png().toBuffer()]) {
      const { placeholder } = await processImage(input, limits);
      expect(placeholder).not.toBeNull();
      expect(placeholder!.length).toBeLessThanOrEqual(MAX_PLACEHOLDER_LENGTH);
      expect(placeholder!.startsWith(PLACEHOLDER_PREFIX)).toBe(true);
      const decoded = await sharp(Buffer.from(placeholder!.slice(PLACEHOLDER_PREFIX.length), 'base64')).metadata();
      expect(decoded.format).toBe('webp');
      expect(Math.max(decoded.width, decoded.height)).toBeLessThanOrEqual(16);
    }
  });

  it('should refuse what is not an image, whatever it starts with', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
    const tiff = await solid(10, 10).tiff().toBuffer();
    for (const input of [
      Buffer.from('hello'),
      Buffer.from('\x89PNG\r\n\x1a\nnot really'),
      svg,
      tiff,
      Buffer.alloc(0),
    ]) {
      const error = await rejection(processImage(input, limits));
      expect(error.entries).toEqual([expect.objectContaining({ code: 'invalid', field: 'image' })]);
    }
  });

  it('should refuse a truncated JPEG', async () => {
    const jpeg = await solid(300, 200).jpeg().toBuffer();
    const error = await rejection(processImage(jpeg.subarray(0, Math.floor(jpeg.length / 2)), limits));
    expect(error.entries).toEqual([expect.objectContaining({ code: 'invalid', field: 'image' })]);
  });

  it('should refuse an image of more pixels than allowed before decoding it', async () => {
    const input = await solid(2000, 1000).png().toBuffer();
    const error = await rejection(processImage(input, limits));
    expect(error.entries).toEqual([
      expect.objectContaining({ code: 'payload_too_large', field: 'image', message: expect.stringMatching(/pixels/) }),
    ]);
  });

  it('should refuse, before decoding it, a palette PNG over the palette budget', async () => {
    const input = await solid(600, 500).png({ palette: true }).toBuffer();
    const started = Date.now();
    const error = await rejection(processImage(input, { ...limits, maxPalettePixels: 200_000 }));
    expect(error.entries).toEqual([
      expect.objectContaining({ code: 'payload_too_large', field: 'image', message: expect.stringMatching(/work/) }),
    ]);
    expect(Date.now() - started).toBeLessThan(500);
    await expect(processImage(input, limits)).resolves.toMatchObject({ width: 600, height: 500 });
  });

  it('should stop an image whose processing takes longer than the timeout, with a 413', async () => {
    // 36 megapixels of noise, stored uncompressed: compressing them again takes seconds.
    const side = 6000;
    const input = await sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    const started = Date.now();
    const error = await rejection(
      processImage(input, { maxPixels: 40_000_000, maxPalettePixels: 1, timeoutSeconds: 1 }),
    );
    expect(error.entries).toEqual([
      expect.objectContaining({ code: 'payload_too_large', field: 'image', message: expect.stringMatching(/work/) }),
    ]);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('should count the pixels of every frame of an animated image', async () => {
    // Frames that differ: the GIF encoder merges identical ones.
    const frames = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        sharp({ create: { width: 400, height: 400, channels: 4, background: { r: i * 30, g: 0, b: 0 } } })
          .png()
          .toBuffer(),
      ),
    );
    const input = await sharp(frames, { join: { animated: true } })
      .gif()
      .toBuffer();
    expect((await sharp(input, { animated: true }).metadata()).pages).toBe(8);
    const error = await rejection(processImage(input, limits));
    expect(error.code).toBe('payload_too_large');
  });
});

describe('sanitizeFileName', () => {
  it('should keep an ordinary name', () => {
    expect(sanitizeFileName('Holiday photo (1).JPG', 'jpg')).toBe('Holiday photo (1).JPG');
    expect(sanitizeFileName('Čaj ☕ 👨‍👩‍👧.png', 'png')).toBe('Čaj ☕ 👨‍👩‍👧.png');
  });

  it('should keep only the last path segment', () => {
    expect(sanitizeFileName('../../etc/passwd', 'png')).toBe('passwd');
    expect(sanitizeFileName('C:\\Users\\me\\cat.gif', 'gif')).toBe('cat.gif');
  });

  it('should drop control and text-direction characters', () => {
    expect(sanitizeFileName('evil\u202Egpj.exe', 'jpg')).toBe('evilgpj.exe');
    expect(sanitizeFileName('a\u0000b\nc\r.png', 'png')).toBe('abc.png');
  });

  it('should fall back to a generic name when nothing is left', () => {
    expect(sanitizeFileName('', 'webp')).toBe('image.webp');
    expect(sanitizeFileName('  \u0007 ', 'png')).toBe('image.png');
    expect(sanitizeFileName('..', 'gif')).toBe('image.gif');
    expect(sanitizeFileName('dir/', 'jpg')).toBe('image.jpg');
  });

  it('should cut a long name to 255 characters, keeping the extension and whole characters', () => {
    const long = sanitizeFileName(`${'é'.repeat(300)}.jpeg`, 'jpg');
    expect(Array.from(long)).toHaveLength(255);
    expect(long.endsWith('é.jpeg')).toBe(true);

    const emoji = sanitizeFileName('😀'.repeat(300), 'png');
    expect(Array.from(emoji)).toHaveLength(255);
    expect(emoji).toBe('😀'.repeat(255));
  });
});
