import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { Page, PageDto, RequestUrl } from '../common/http/pagination';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { SearchQueryDto, SearchResultDto } from './dto/search.dto';
import { MessageSearchService } from './message-search.service';

@ApiTags('messages')
@Authenticated()
@Controller('api/v1/chat/search')
export class MessageSearchController {
  constructor(private readonly service: MessageSearchService) {}

  @Get()
  @ApiOperation({
    operationId: 'searchMessages',
    summary: 'Search messages: best match first, then newest',
    description:
      'Non-reaction messages matching `q` (PostgreSQL full-text search in the SEARCH_LANGUAGE ' +
      'configuration), from the rooms the caller is a member of; with `room_id`, from that room only, ' +
      'which may be any room the caller can see (a public room they have not joined too). Each result is ' +
      'a Message with `matches`: where the matched words are in its body.',
  })
  @ApiOkResponse({ type: PageDto(SearchResultDto) })
  @ApiErrors(400, 404)
  search(
    @CurrentUser() auth: AuthUser,
    @Query() query: SearchQueryDto,
    @RequestUrl() url: URL,
  ): Promise<Page<SearchResultDto>> {
    return this.service.search(auth, query, url);
  }
}
