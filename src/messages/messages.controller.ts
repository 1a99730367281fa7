import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { Page, PageDto, RequestUrl } from '../common/http/pagination';
import { Throttle } from '../common/limits/throttle.guard';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import {
  CreateMessageDto,
  MessageListQueryDto,
  SeenDto,
  SeenResultDto,
  UpdateMessageDto,
} from './dto/message-input.dto';
import { MessageDto } from './dto/message.dto';
import { MessagesService } from './messages.service';

@ApiTags('messages')
@Authenticated()
@Controller('api/v1/chat/rooms/:roomId/messages')
export class MessagesController {
  constructor(private readonly service: MessagesService) {}

  @Get()
  @ApiOperation({
    operationId: 'listMessages',
    summary: 'Non-reaction messages, newest first',
    description:
      'Paginated by limit/offset, or by cursor: `before=<id>` gives the messages just older than that one, ' +
      '`after=<id>` those just newer, newest first either way; the cost does not grow with history depth. ' +
      "`parent_id=<id>` gives that message's thread (its non-reaction replies). Replies also appear in the " +
      'room-wide list. When a message is deleted its reactions go with it, while its replies stay with ' +
      '`parent_id` cleared.',
  })
  @ApiOkResponse({ type: PageDto(MessageDto) })
  @ApiErrors(400, 404)
  list(
    @CurrentUser() auth: AuthUser,
    @Param('roomId') roomId: string,
    @Query() query: MessageListQueryDto,
    @RequestUrl() url: URL,
  ): Promise<Page<MessageDto>> {
    return this.service.list(auth, roomId, query, url);
  }

  @Post()
  @Throttle('messages')
  @ApiOperation({
    operationId: 'createMessage',
    summary: 'Send a message, a reply (parent_id) or a reaction (parent_id, is_reaction)',
    description:
      'Posting in a public room makes the caller a member, with the room muted for them. Sending the same ' +
      'reaction to the same message again answers the existing one. With `client_id` the send is idempotent: ' +
      'a repeat by the same user (a retry after a timeout, or racing requests) answers `200` with the message ' +
      'or reaction first stored with that client_id, even if its body, room or parent differ, and stores and ' +
      'pushes nothing; `409` when that message is in a room the caller can no longer see. Once that message ' +
      'is deleted, its client_id may store a new one. Messages and reactions share one budget per user ' +
      '(RATE_MESSAGES_PER_SECOND, bursts of RATE_MESSAGES_BURST): over it, 429 with `Retry-After`.',
  })
  @ApiCreatedResponse({ type: MessageDto })
  @ApiOkResponse({ type: MessageDto, description: 'A repeat of a client_id: the message it stored first' })
  @ApiErrors(400, 404, 409, 413, 415, 429)
  async create(
    @CurrentUser() auth: AuthUser,
    @Param('roomId') roomId: string,
    @Body() dto: CreateMessageDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MessageDto> {
    const { message, isNew } = await this.service.send(auth, roomId, dto);
    response.status(isNew ? 201 : 200);
    return message;
  }

  @Post('seen')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'markMessagesSeen',
    summary: 'Mark messages of this room seen by the caller (idempotent)',
  })
  @ApiOkResponse({ type: SeenResultDto })
  @ApiErrors(400, 404, 413, 415)
  seen(@CurrentUser() auth: AuthUser, @Param('roomId') roomId: string, @Body() dto: SeenDto): Promise<SeenResultDto> {
    return this.service.seen(auth, roomId, dto);
  }

  @Get(':messageId')
  @ApiOperation({ operationId: 'getMessage', summary: 'A message' })
  @ApiOkResponse({ type: MessageDto })
  @ApiErrors(404)
  get(@CurrentUser() auth: AuthUser, @Param('roomId') roomId: string, @Param('messageId') messageId: string) {
    return this.service.get(auth, roomId, messageId);
  }

  @Put(':messageId')
  @ApiOperation({ operationId: 'replaceMessage', summary: 'Edit the body (its author)' })
  @ApiOkResponse({ type: MessageDto })
  @ApiErrors(400, 403, 404, 413, 415)
  replace(
    @CurrentUser() auth: AuthUser,
    @Param('roomId') roomId: string,
    @Param('messageId') messageId: string,
    @Body() dto: UpdateMessageDto,
  ): Promise<MessageDto> {
    return this.service.update(auth, roomId, messageId, dto);
  }

  @Patch(':messageId')
  @ApiOperation({ operationId: 'updateMessage', summary: 'Edit the body (its author)' })
  @ApiOkResponse({ type: MessageDto })
  @ApiErrors(400, 403, 404, 413, 415)
  update(
    @CurrentUser() auth: AuthUser,
    @Param('roomId') roomId: string,
    @Param('messageId') messageId: string,
    @Body() dto: UpdateMessageDto,
  ): Promise<MessageDto> {
    return this.service.update(auth, roomId, messageId, dto);
  }

  @Delete(':messageId')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'deleteMessage',
    summary: 'Delete it with its reactions and images (its author, or a room admin)',
  })
  @ApiNoContentResponse()
  @ApiErrors(403, 404)
  delete(@CurrentUser() auth: AuthUser, @Param('roomId') roomId: string, @Param('messageId') messageId: string) {
    return this.service.delete(auth, roomId, messageId);
  }
}
