import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { UpdateUserChatDto, UserChatDto } from './dto/user-chat.dto';
import { UserChatService } from './user-chat.service';

@ApiTags('your chat status')
@Authenticated()
@Controller('api/v1/chat/me')
export class UserChatController {
  constructor(private readonly service: UserChatService) {}

  @Get()
  @ApiOperation({
    operationId: 'getUserChat',
    summary: 'Your chat status: online, last seen, status line, and what is unseen over your rooms',
  })
  @ApiOkResponse({ type: UserChatDto })
  get(@CurrentUser() auth: AuthUser): Promise<UserChatDto> {
    return this.service.get(auth);
  }

  @Patch()
  @ApiOperation({ operationId: 'updateUserChat', summary: 'Set or clear your status line' })
  @ApiOkResponse({ type: UserChatDto })
  @ApiErrors(400, 413, 415)
  update(@CurrentUser() auth: AuthUser, @Body() dto: UpdateUserChatDto): Promise<UserChatDto> {
    return this.service.update(auth, dto);
  }
}
