import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { RequestUrl } from '../common/http/pagination';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { ChangesPageDto } from './protocol';
import { DEFAULT_CHANGES_LIMIT, MAX_CHANGES_LIMIT, RoomChangesService } from './room-changes.service';

export class ChangesQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 999_999_999_999,
    description: 'The last seq the client applied (default 0: from the start); the changes after it are answered',
  })
  @IsOptional()
  @Matches(/^\d{1,12}$/, { message: 'since must be a whole number of at least 0' })
  since?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 999_999_999,
    description: `Changes per page (default ${DEFAULT_CHANGES_LIMIT}); more than ${MAX_CHANGES_LIMIT} is lowered to ${MAX_CHANGES_LIMIT}`,
  })
  @IsOptional()
  @Matches(/^[1-9]\d{0,8}$/, { message: 'limit must be a whole number of at least 1' })
  limit?: string;
}

@ApiTags('rooms')
@Authenticated()
@Controller('api/v1/chat/rooms/:roomId/changes')
export class RoomChangesController {
  constructor(private readonly service: RoomChangesService) {}

  @Get()
  @ApiOperation({
    operationId: 'listRoomChanges',
    summary: "The room's change frames after `since`, oldest first (what a websocket resume replays)",
  })
  @ApiOkResponse({ type: ChangesPageDto })
  @ApiErrors(400, 404, 410)
  list(
    @CurrentUser() auth: AuthUser,
    @Param('roomId') roomId: string,
    @Query() query: ChangesQueryDto,
    @RequestUrl() url: URL,
  ): Promise<ChangesPageDto> {
    const limit = Math.min(Number(query.limit ?? DEFAULT_CHANGES_LIMIT), MAX_CHANGES_LIMIT);
    return this.service.changes(auth, roomId, Number(query.since ?? 0), limit, url);
  }
}
