import { Controller, Get, Param, Query, Render, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PageErrorFilter } from './page-error.filter';
import { LobbyPage, PagesService, RoomPage } from './pages.service';
import { RequestOrigin, SessionToken } from './session-token.decorator';

/** The server-rendered chat: `/chat/` (sign in, rooms) and `/chat/<room_id>/`. */
@ApiExcludeController()
@UseFilters(PageErrorFilter)
@Controller('chat')
export class PagesController {
  constructor(private readonly service: PagesService) {}

  @Get()
  @Render('lobby')
  async lobby(@SessionToken() cookie: string | null, @RequestOrigin() origin: URL): Promise<LobbyPage> {
    return this.service.lobby(await this.service.viewer(undefined, cookie), origin);
  }

  @Get(':roomId')
  @Render('room')
  async room(
    @Param('roomId') roomId: string,
    @Query('token') linkToken: unknown,
    @SessionToken() cookie: string | null,
    @RequestOrigin() origin: URL,
  ): Promise<RoomPage> {
    return this.service.room(await this.service.viewer(linkToken, cookie), roomId, origin);
  }
}
