import { Controller, Get, Param, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { MEDIA_PATH } from '../common/storage/storage.module';
import { ImageFile, ImagesService } from './images.service';

/**
 * A stored file never changes under its key (a new upload gets a new key), so it may be cached for
 * good; browsers must not guess another type than the one stored.
 */
function send(response: Response, file: ImageFile): StreamableFile {
  response.set({
    'Cache-Control': 'public, max-age=31536000, immutable',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'",
  });
  return new StreamableFile(file.stream, { type: file.contentType, length: file.size }).setErrorHandler(() => {
    // The file went away between the look-up and the read.
    if (response.headersSent) {
      response.destroy();
      return;
    }
    response.removeHeader('Content-Length');
    response.set('Cache-Control', 'no-store');
    response.status(404).json({ errors: [{ code: 'not_found', message: 'File not found' }] });
  });
}

@ApiTags('media')
@Controller(MEDIA_PATH.slice(1))
export class MediaController {
  constructor(private readonly service: ImagesService) {}

  @Get(':key')
  @ApiOperation({
    operationId: 'getImageFile',
    summary: 'An image file, by the unguessable key in its URL (no authentication: the URL is the secret)',
    description: 'Served with its stored content type and cached for good (`Cache-Control: immutable`).',
  })
  // Declared per response, not with @ApiProduces, which would give the JSON 404 the image types too.
  @ApiOkResponse({
    description: 'The file, in its stored format',
    content: Object.fromEntries(
      ['image/jpeg', 'image/png', 'image/webp', 'image/gif'].map((type) => [
        type,
        { schema: { type: 'string', format: 'binary' } },
      ]),
    ),
  })
  @ApiErrors(404)
  async get(@Param('key') key: string, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    return send(response, await this.service.openFile(key));
  }
}
