import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { Page, PageDto, PageQueryDto, RequestUrl } from '../common/http/pagination';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { AddRoomAdminDto, CreateRoomDto, RoomDto, UpdateRoomDto } from './dto/room.dto';
import { RoomsService } from './rooms.service';

@ApiTags('rooms')
@Authenticated()
@Controller('api/v1/chat/rooms')
export class RoomsController {
  constructor(private readonly service: RoomsService) {}

  @Get()
  @ApiOperation({
    operationId: 'listRooms',
    summary: 'Rooms the caller can see, newest activity first, with their counts for the caller',
  })
  @ApiOkResponse({ type: PageDto(RoomDto) })
  @ApiErrors(400)
  list(@CurrentUser() auth: AuthUser, @Query() query: PageQueryDto, @RequestUrl() url: URL): Promise<Page<RoomDto>> {
    return this.service.list(auth, query, url);
  }

  @Post()
  @ApiOperation({
    operationId: 'createRoom',
    summary: 'Create a room; the caller becomes its creator, admin and member',
  })
  @ApiCreatedResponse({ type: RoomDto })
  @ApiErrors(400, 413, 415)
  create(@CurrentUser() auth: AuthUser, @Body() dto: CreateRoomDto): Promise<RoomDto> {
    return this.service.create(auth, dto);
  }

  @Get(':roomId')
  @ApiOperation({ operationId: 'getRoom', summary: 'A room the caller can see' })
  @ApiOkResponse({ type: RoomDto })
  @ApiErrors(404)
  get(@CurrentUser() auth: AuthUser, @Param('roomId') roomId: string): Promise<RoomDto> {
    return this.service.get(auth, roomId);
  }

  @Put(':roomId')
  @ApiOperation({
    operationId: 'replaceRoom',
    summary: 'Replace title, description, is_public and users (room admins)',
  })
  @ApiOkResponse({ type: RoomDto })
  @ApiErrors(400, 403, 404, 413, 415)
  replace(
    @CurrentUser() auth: AuthUser,
    @Param('roomId') roomId: string,
    @Body() dto: UpdateRoomDto,
  ): Promise<RoomDto> {
    return this.service.update(auth, roomId, dto, true);
  }

  @Patch(':roomId')
  @ApiOperation({
    operationId: 'updateRoom',
    summary: 'Change some of title, description, is_public and users (room admins)',
  })
  @ApiOkResponse({ type: RoomDto })
  @ApiErrors(400, 403, 404, 413, 415)
  update(@CurrentUser() auth: AuthUser, @Param('roomId') roomId: string, @Body() dto: UpdateRoomDto): Promise<RoomDto> {
    return this.service.update(auth, roomId, dto, false);
  }

  @Delete(':roomId')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteRoom', summary: 'Delete the room with its messages and images (room admins)' })
  @ApiNoContentResponse()
  @ApiErrors(403, 404)
  delete(@CurrentUser() auth: AuthUser, @Param('roomId') roomId: string): Promise<void> {
    return this.service.delete(auth, roomId);
  }

  @Post(':roomId/mute')
  @ApiOperation({ operationId: 'muteRoom', summary: 'Mute the room for the caller' })
  @ApiCreatedResponse({ type: RoomDto })
  @ApiErrors(404)
  mute(@CurrentUser() auth: AuthUser, @Param('roomId') roomId: string): Promise<RoomDto> {
    return this.service.setMuted(auth, roomId, true);
  }

  @Post(':roomId/unmute')
  @ApiOperation({ operationId: 'unmuteRoom', summary: 'Unmute the room for the caller' })
  @ApiCreatedResponse({ type: RoomDto })
  @ApiErrors(404)
  unmute(@CurrentUser() auth: AuthUser, @Param('roomId') roomId: string): Promise<RoomDto> {
    return this.service.setMuted(auth, roomId, false);
  }

  @Post(':roomId/admins')
  @ApiOperation({ operationId: 'addRoomAdmin', summary: 'Make a member of the room one of its admins (room admins)' })
  @ApiCreatedResponse({ type: RoomDto })
  @ApiErrors(400, 403, 404, 413, 415)
  addAdmin(
    @CurrentUser() auth: AuthUser,
    @Param('roomId') roomId: string,
    @Body() dto: AddRoomAdminDto,
  ): Promise<RoomDto> {
    return this.service.addAdminAs(auth, roomId, dto);
  }

  @Delete(':roomId/admins/:userId')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'removeRoomAdmin',
    summary: 'Take a user off the room admins; they stay a member; never the creator (room admins)',
  })
  @ApiNoContentResponse()
  @ApiErrors(400, 403, 404)
  removeAdmin(
    @CurrentUser() auth: AuthUser,
    @Param('roomId') roomId: string,
    @Param('userId') userId: string,
  ): Promise<void> {
    return this.service.removeAdminAs(auth, roomId, userId);
  }
}
