import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { AddRoomUserDto, RoomUserDto, RoomUserNameDto, UpdateRoomUserDto } from './dto/room-user.dto';
import { RoomUsersService } from './room-users.service';

@ApiTags('room users')
@Authenticated()
@Controller('api/v1/chat/rooms/:roomId/users')
export class RoomUsersController {
  constructor(private readonly service: RoomUsersService) {}

  @Get()
  @ApiOperation({ operationId: 'listRoomUsers', summary: 'All users of the room, active or not (not paginated)' })
  @ApiOkResponse({ type: [RoomUserDto] })
  @ApiErrors(404)
  list(@CurrentUser() auth: AuthUser, @Param('roomId') roomId: string): Promise<RoomUserDto[]> {
    return this.service.list(auth, roomId);
  }

  @Post()
  @ApiOperation({
    operationId: 'addRoomUser',
    summary: 'Add a member (room admins; anyone for themselves in a public room)',
  })
  @ApiCreatedResponse({ type: RoomUserDto })
  @ApiErrors(400, 403, 404, 413, 415)
  add(@CurrentUser() auth: AuthUser, @Param('roomId') roomId: string, @Body() dto: AddRoomUserDto) {
    return this.service.add(auth, roomId, dto);
  }

  @Get('names')
  @ApiOperation({ operationId: 'listRoomUserNames', summary: 'Ids and first names of the members' })
  @ApiOkResponse({ type: [RoomUserNameDto] })
  @ApiErrors(404)
  names(@CurrentUser() auth: AuthUser, @Param('roomId') roomId: string): Promise<RoomUserNameDto[]> {
    return this.service.names(auth, roomId);
  }

  @Get(':userId')
  @ApiOperation({ operationId: 'getRoomUser', summary: "A user's room user (the path holds the user's id)" })
  @ApiOkResponse({ type: RoomUserDto })
  @ApiErrors(404)
  get(@CurrentUser() auth: AuthUser, @Param('roomId') roomId: string, @Param('userId') userId: string) {
    return this.service.get(auth, roomId, userId);
  }

  @Put(':userId')
  @ApiOperation({ operationId: 'replaceRoomUser', summary: 'Set is_active (room admins)' })
  @ApiOkResponse({ type: RoomUserDto })
  @ApiErrors(400, 403, 404, 413, 415)
  replace(
    @CurrentUser() auth: AuthUser,
    @Param('roomId') roomId: string,
    @Param('userId') userId: string,
    @Body() dto: UpdateRoomUserDto,
  ): Promise<RoomUserDto> {
    return this.service.update(auth, roomId, userId, dto);
  }

  @Patch(':userId')
  @ApiOperation({ operationId: 'updateRoomUser', summary: 'Set is_active (room admins)' })
  @ApiOkResponse({ type: RoomUserDto })
  @ApiErrors(400, 403, 404, 413, 415)
  update(
    @CurrentUser() auth: AuthUser,
    @Param('roomId') roomId: string,
    @Param('userId') userId: string,
    @Body() dto: UpdateRoomUserDto,
  ): Promise<RoomUserDto> {
    return this.service.update(auth, roomId, userId, dto);
  }

  @Delete(':userId')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'removeRoomUser',
    summary: 'Remove a member (room admins), or leave (the user); old messages keep their author',
  })
  @ApiNoContentResponse()
  @ApiErrors(403, 404)
  remove(@CurrentUser() auth: AuthUser, @Param('roomId') roomId: string, @Param('userId') userId: string) {
    return this.service.remove(auth, roomId, userId);
  }
}
