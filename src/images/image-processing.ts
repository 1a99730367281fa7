import sharp from 'sharp';
import { AppError, invalid } from '../common/errors/app-error';

/** The formats accepted, as sharp names them; what the bytes are decides, never the name or content type. */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif';

interface FormatInfo {
  contentType: string;
  extension: string;
  encode: (image: sharp.Sharp, metadata: sharp.Metadata) => sharp.Sharp;
}

const FORMATS: Record<ImageFormat, FormatInfo> = {
  jpeg: { contentType: 'image/jpeg', extension: 'jpg', encode: (image) => image.jpeg({ quality: 90 }) },
  png: {
    contentType: 'image/png',
    extension: 'png',
    // A palette image stays one: re-encoding it as true colour would multiply its size.
    encode: (image, metadata) => image.png({ palette: metadata.isPalette }),
  },
  webp: { contentType: 'image/webp', extension: 'webp', encode: (image) => image.webp({ quality: 90 }) },
  gif: { contentType: 'image/gif', extension: 'gif', encode: (image) => image.gif() },
};

const isImageFormat = (format: string): format is ImageFormat => Object.hasOwn(FORMATS, format);

export interface ProcessedImage {
  /** The bytes to store: re-encoded, oriented, without metadata. */
  data: Buffer;
  format: ImageFormat;
  contentType: string;
  /** The file extension the storage key gets. */
  extension: string;
  width: number;
  /** The height of one frame, for an animated image. */
  height: number;
  /** A WebP of the (first frame of the) image, its longer side at most THUMBNAIL_SIZE. */
  thumbnail: Buffer;
  /** A blurred `data:image/webp;base64,` URI of at most MAX_PLACEHOLDER_LENGTH characters, or null. */
  placeholder: string | null;
}

/** The longer side of a thumbnail, at most: what a message list shows. Smaller images are not enlarged. */
export const THUMBNAIL_SIZE = 320;
export const THUMBNAIL_CONTENT_TYPE = 'image/webp';
export const THUMBNAIL_EXTENSION = 'webp';
export const PLACEHOLDER_PREFIX = 'data:image/webp;base64,';
/** 1 KB: small enough to send inline with every message that shows the image. */
export const MAX_PLACEHOLDER_LENGTH = 1024;
/** Longer sides tried in turn until the placeholder fits (the first almost always does). */
const PLACEHOLDER_SIZES = [16, 12, 8];

export interface ImageLimits {
  /** The most pixels (of all frames together) an image may decode to. */
  maxPixels: number;
  /**
   * The most pixels of an image whose output is quantised to a palette (a palette PNG, a GIF): that
   * step takes seconds per ten megapixels and cannot be interrupted by the timeout.
   */
  maxPalettePixels: number;
  /** CPU time the decoding and encoding of one image may take. */
  timeoutSeconds: number;
}

const NOT_AN_IMAGE = 'The file is not a JPEG, PNG, WebP or GIF image';

const tooManyPixels = (limits: ImageLimits) =>
  new AppError('payload_too_large', `The image is too large: at most ${limits.maxPixels} pixels are allowed`, 'image');

const tooCostly = (limits: ImageLimits) =>
  new AppError(
    'payload_too_large',
    `The image takes too much work to process: at most ${limits.maxPalettePixels} pixels are allowed ` +
      'for a palette PNG or a GIF, and a few seconds of processing for any image',
    'image',
  );

const isPixelLimitError = (error: unknown): boolean => error instanceof Error && /pixel limit/i.test(error.message);
const isTimeoutError = (error: unknown): boolean => error instanceof Error && /^timeout/i.test(error.message);

const isQuantised = (metadata: sharp.Metadata): boolean =>
  metadata.format === 'gif' || (metadata.format === 'png' && metadata.isPalette === true);

/**
 * Decodes an upload and re-encodes it in its own format: EXIF orientation is applied to the pixels and
 * every piece of metadata (EXIF with GPS, XMP, IPTC, comments) is left out, since sharp writes none unless
 * asked. Anything sharp cannot decode completely, or of another format, is refused with a 400 on `image`;
 * an image of more pixels than allowed (a decompression bomb) with a 413, before it is decoded, and so is
 * one that would take more than its CPU budget (too many pixels to quantise, or past the timeout).
 */
export async function processImage(input: Buffer, limits: ImageLimits): Promise<ProcessedImage> {
  // Read once from top to bottom (less memory; random access is only needed for rotations).
  const options = {
    limitInputPixels: limits.maxPixels,
    failOn: 'error' as const,
    animated: true,
    sequentialRead: true,
  };
  let metadata: sharp.Metadata;
  try {
    metadata = await sharp(input, options).metadata();
  } catch (error) {
    throw isPixelLimitError(error) ? tooManyPixels(limits) : invalid('image', NOT_AN_IMAGE);
  }
  if (!isImageFormat(metadata.format)) {
    throw invalid('image', NOT_AN_IMAGE);
  }
  // With `animated`, the height is that of all frames together: this counts every pixel to decode.
  if (metadata.width * metadata.height > limits.maxPixels) {
    throw tooManyPixels(limits);
  }
  if (isQuantised(metadata) && metadata.width * metadata.height > limits.maxPalettePixels) {
    throw tooCostly(limits);
  }
  const format = FORMATS[metadata.format];
  try {
    // Both decode the input, in parallel; a JPEG's thumbnail is decoded at a fraction of its size.
    const [{ data, info }, thumbnail] = await Promise.all([
      format
        .encode(sharp(input, options).rotate(), metadata)
        .timeout({ seconds: limits.timeoutSeconds })
        .toBuffer({ resolveWithObject: true }),
      thumbnailOf(input, limits),
    ]);
    return {
      data,
      format: metadata.format,
      contentType: format.contentType,
      extension: format.extension,
      width: info.width,
      height: info.pageHeight ?? info.height,
      thumbnail,
      placeholder: await placeholderOf(thumbnail),
    };
  } catch (error) {
    if (isPixelLimitError(error)) {
      throw tooManyPixels(limits);
    }
    if (isTimeoutError(error)) {
      throw tooCostly(limits);
    }
    throw invalid('image', 'The image could not be decoded: it is damaged or incomplete');
  }
}

export interface ImagePreview {
  thumbnail: Buffer;
  placeholder: string | null;
}

// WebP effort 2 of 6: half the encoding time of the default, for files a few percent larger.
function thumbnailOf(input: Buffer, limits: ImageLimits): Promise<Buffer> {
  return sharp(input, { limitInputPixels: limits.maxPixels, failOn: 'error', sequentialRead: true })
    .rotate()
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 75, effort: 2 })
    .timeout({ seconds: limits.timeoutSeconds })
    .toBuffer();
}

/**
 * The thumbnail and placeholder of an image stored before they were made at upload (`processImage`
 * makes them for new ones). Rejects what sharp cannot decode within the limits.
 */
export async function previewOf(stored: Buffer, limits: ImageLimits): Promise<ImagePreview> {
  const thumbnail = await thumbnailOf(stored, limits);
  return { thumbnail, placeholder: await placeholderOf(thumbnail) };
}

/**
 * A tiny, blurred, low-quality WebP of the thumbnail as a data URI, shown while the thumbnail loads. The
 * first size that fits MAX_PLACEHOLDER_LENGTH is kept; null if none does, rather than fail the upload.
 */
async function placeholderOf(thumbnail: Buffer): Promise<string | null> {
  for (const size of PLACEHOLDER_SIZES) {
    const data = await sharp(thumbnail)
      .resize(size, size, { fit: 'inside', withoutEnlargement: true })
      .blur(0.8)
      .webp({ quality: 20, alphaQuality: 20, effort: 6, smartSubsample: true })
      .toBuffer();
    const uri = PLACEHOLDER_PREFIX + data.toString('base64');
    if (uri.length <= MAX_PLACEHOLDER_LENGTH) {
      return uri;
    }
  }
  return null;
}

export const MAX_FILE_NAME_LENGTH = 255;

/** Control characters, line separators, a byte order mark and the marks that reorder displayed text. */
const UNSAFE_CHARACTERS = /[\p{Cc}\u2028\u2029\ufeff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * A file name safe to store and show: the last path segment only, without control or
 * direction-changing characters, normalized, trimmed and at most 255 characters (never cutting a
 * character in two). An empty result falls back to `image.<extension>`.
 */
export function sanitizeFileName(name: string, extension: string): string {
  const lastSegment = name.split(/[/\\]/).pop() ?? '';
  const cleaned = lastSegment.normalize('NFC').replace(UNSAFE_CHARACTERS, '').trim().replace(/^\.+$/, '');
  const characters = Array.from(cleaned);
  const kept = characters.length > MAX_FILE_NAME_LENGTH ? shorten(characters) : cleaned;
  return kept === '' ? `image.${extension}` : kept;
}

/** Cuts from the middle of the base name, so that the extension survives. */
function shorten(characters: string[]): string {
  const name = characters.join('');
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? Array.from(name.slice(dot)) : [];
  if (extension.length === 0 || extension.length > 16) {
    return characters.slice(0, MAX_FILE_NAME_LENGTH).join('').trim();
  }
  const base = characters.slice(0, characters.length - extension.length);
  return (
    base
      .slice(0, MAX_FILE_NAME_LENGTH - extension.length)
      .join('')
      .trimEnd() + extension.join('')
  ).trim();
}
