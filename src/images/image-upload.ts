import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  HttpException,
  Inject,
  Injectable,
  NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor, MulterModuleOptions } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, type SchemaObject } from '@nestjs/swagger';
import { catchError, from, lastValueFrom, Observable, throwError } from 'rxjs';
import { APP_CONFIG, AppConfig } from '../common/config/config';
import { AppError, invalid } from '../common/errors/app-error';
import type { UploadImageDto } from './dto/image-input.dto';
import { ImageProcessingPool } from './image-processing-pool';

export const IMAGE_FIELD = 'image';

/**
 * multer's options for uploads: one file of at most MAX_UPLOAD_BYTES, held in memory until it is
 * decoded, and a few short text fields. File names are read as UTF-8, as browsers send them.
 */
export const multerOptions = (config: AppConfig): MulterModuleOptions => ({
  defParamCharset: 'utf8',
  limits: {
    fileSize: config.limits.uploadBytes,
    files: 1,
    fields: 8,
    fieldSize: 1024,
    fieldNameSize: 100,
    parts: 10,
    headerPairs: 100,
  },
});

interface MulterErrorCause {
  code?: string;
  field?: string;
}

/** Words multer's errors in the contract's terms, naming the field at fault. */
@Injectable()
export class UploadErrorsInterceptor implements NestInterceptor {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(catchError((error: unknown) => throwError(() => this.translate(error))));
  }

  private translate(error: unknown): unknown {
    if (!(error instanceof HttpException)) {
      return error;
    }
    const cause = (error.cause ?? {}) as MulterErrorCause;
    switch (cause.code ?? '') {
      case 'LIMIT_FILE_SIZE':
        return new AppError(
          'payload_too_large',
          `The image must be at most ${this.config.limits.uploadBytes} bytes`,
          IMAGE_FIELD,
        );
      case 'LIMIT_FILE_COUNT':
      case 'LIMIT_UNEXPECTED_FILE':
        return invalid(cause.field || IMAGE_FIELD, `Send one file, in the field "${IMAGE_FIELD}"`);
      case 'LIMIT_FIELD_VALUE':
        return cause.field ? invalid(cause.field, `${cause.field} is too long`) : error;
      default:
        return error;
    }
  }
}

/**
 * Handles a received upload inside the image-processing pool (see `ImageProcessingPool`), so that
 * the decoding of at most IMAGE_CONCURRENCY images runs at once, whoever sends them.
 */
@Injectable()
export class ImageProcessingSlotInterceptor implements NestInterceptor {
  constructor(private readonly pool: ImageProcessingPool) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return from(this.pool.run(() => lastValueFrom(next.handle())));
  }
}

/**
 * A multipart route taking one image in the field `image`, documented for OpenAPI. The file is read
 * first, then the route waits for a turn in the image-processing pool (503 when its queue is full).
 */

/**
 * The file part the OpenAPI 3.1 way: binary content, with no JSON type, so that generated clients
 * (openapi-typescript types it `unknown`) take a Blob or File without a cast.
 */
const IMAGE_PART = {
  format: 'binary',
  contentMediaType: 'application/octet-stream',
  description:
    'A JPEG, PNG, WebP or GIF image (what the bytes are decides, not the name or content type), ' +
    'at most MAX_UPLOAD_BYTES bytes and MAX_IMAGE_PIXELS pixels',
} as SchemaObject;

const ID_PART = (description: string): SchemaObject => ({ type: 'string', format: 'uuid', description });

/**
 * A multipart route taking one image in the field `image` beside the text fields of UploadImageDto. The
 * file is read first, then the route waits for a turn in the image-processing pool (503 when its queue is full).
 */
export const ImageUpload = (description: string) =>
  applyDecorators(
    UseInterceptors(UploadErrorsInterceptor, FileInterceptor(IMAGE_FIELD), ImageProcessingSlotInterceptor),
    ApiConsumes('multipart/form-data'),
    ApiBody({
      description,
      required: true,
      schema: {
        type: 'object',
        required: [IMAGE_FIELD],
        additionalProperties: false,
        properties: {
          [IMAGE_FIELD]: IMAGE_PART,
          message_id: ID_PART("Attach to this message of the caller's"),
          room_id: ID_PART("Attach to a new, empty message of the caller's in this room (when no message_id is given)"),
        } satisfies Record<keyof UploadImageDto | typeof IMAGE_FIELD, SchemaObject>,
      },
    }),
  );
