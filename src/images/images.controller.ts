import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, UploadedFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { Page, PageDto, PageQueryDto, RequestUrl } from '../common/http/pagination';
import { Throttle } from '../common/limits/throttle.guard';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { MoveImageDto, UploadImageDto } from './dto/image-input.dto';
import { ImageDto } from './dto/image.dto';
import { ImageUpload } from './image-upload';
import { ImagesService, type UploadedImageFile } from './images.service';

const MOVE_DESCRIPTION =
  "The message must be the owner's and not a reaction. A message the image leaves with neither body nor " +
  'images is deleted with it.';

@ApiTags('images')
@Authenticated()
@Controller('api/v1/chat/images')
export class ImagesController {
  constructor(private readonly service: ImagesService) {}

  @Get()
  @ApiOperation({ operationId: 'listImages', summary: "The caller's own images, newest first" })
  @ApiOkResponse({ type: PageDto(ImageDto) })
  @ApiErrors(400)
  list(@CurrentUser() auth: AuthUser, @Query() query: PageQueryDto, @RequestUrl() url: URL): Promise<Page<ImageDto>> {
    return this.service.list(auth, query, url);
  }

  @Post()
  @Throttle('uploads')
  @ImageUpload('The image, and either message_id or room_id')
  @ApiOperation({
    operationId: 'uploadImage',
    summary: "Attach an image to a message of the caller's, or to a new empty message in a room",
    description:
      "Send `message_id` (a message of the caller's, not a reaction) or `room_id` (a room the caller can " +
      'see: a new message of theirs with an empty body is created for the image, and posting makes them a ' +
      'member as for any message). The file is decoded: anything but a real JPEG, PNG, WebP or GIF is a 400 ' +
      'on `image`, whatever its name or content type. The stored image is re-encoded in its format with the ' +
      'EXIF orientation applied and all metadata (EXIF, GPS, XMP) removed; `width`/`height` are those of the ' +
      'oriented pixels (of one frame, for an animation) and `size` that of the stored file. Larger than ' +
      'MAX_UPLOAD_BYTES (10 MiB) or MAX_IMAGE_PIXELS (40 megapixels), or too costly to process (a palette ' +
      'PNG or GIF over MAX_PALETTE_PIXELS, or past IMAGE_TIMEOUT seconds): 413. Over RATE_UPLOADS per ' +
      'RATE_UPLOADS_WINDOW: 429; the image-processing queue full: 503; both with `Retry-After`. A `message_id` the caller cannot ' +
      "see is a 400; someone else's message a 403; a `room_id` the caller cannot see a 404.",
  })
  @ApiCreatedResponse({ type: ImageDto })
  @ApiErrors(400, 403, 404, 413, 415, 503)
  upload(
    @CurrentUser() auth: AuthUser,
    @Body() dto: UploadImageDto,
    @UploadedFile() file: UploadedImageFile | undefined,
  ): Promise<ImageDto> {
    return this.service.upload(auth, dto, file);
  }

  @Get(':imageId')
  @ApiOperation({ operationId: 'getImage', summary: "One of the caller's images (anyone else's is not found)" })
  @ApiOkResponse({ type: ImageDto })
  @ApiErrors(404)
  get(@CurrentUser() auth: AuthUser, @Param('imageId') imageId: string): Promise<ImageDto> {
    return this.service.get(auth, imageId);
  }

  @Put(':imageId')
  @ApiOperation({
    operationId: 'replaceImage',
    summary: "Move one of the caller's images to another message of theirs",
    description: MOVE_DESCRIPTION,
  })
  @ApiOkResponse({ type: ImageDto })
  @ApiErrors(400, 403, 404, 413, 415)
  replace(
    @CurrentUser() auth: AuthUser,
    @Param('imageId') imageId: string,
    @Body() dto: MoveImageDto,
  ): Promise<ImageDto> {
    return this.service.move(auth, imageId, dto);
  }

  @Patch(':imageId')
  @ApiOperation({
    operationId: 'updateImage',
    summary: "Move one of the caller's images to another message of theirs",
    description: MOVE_DESCRIPTION,
  })
  @ApiOkResponse({ type: ImageDto })
  @ApiErrors(400, 403, 404, 413, 415)
  update(
    @CurrentUser() auth: AuthUser,
    @Param('imageId') imageId: string,
    @Body() dto: MoveImageDto,
  ): Promise<ImageDto> {
    return this.service.move(auth, imageId, dto);
  }

  @Delete(':imageId')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'deleteImage',
    summary: "Delete one of the caller's images and its file",
    description: 'A message the image leaves with neither body nor images is deleted with it.',
  })
  @ApiNoContentResponse()
  @ApiErrors(404)
  delete(@CurrentUser() auth: AuthUser, @Param('imageId') imageId: string): Promise<void> {
    return this.service.delete(auth, imageId);
  }
}
