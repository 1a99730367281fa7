import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { RoomAccessService } from '../access/room-access.service';
import type { AuthUser } from '../auth/auth-user';
import { APP_CONFIG, AppConfig } from '../common/config/config';
import { AppError, invalid } from '../common/errors/app-error';
import { Page, toPage, toPageRequest } from '../common/http/pagination';
import { MAX_SEARCH_QUERY_LENGTH, SearchQueryDto, SearchResultDto } from './dto/search.dto';
import { mapMessage } from './dto/message.dto';
import { MessageSearchRepository, SearchScope, unknownLanguage } from './message-search.repository';
import { MATCH_START, MATCH_STOP, matchOffsets } from './search-matches';

/**
 * Message search. It looks only where the caller reads: the rooms they are a member of, or the one room
 * they name, which may also be a public room they have not joined. Public rooms are not searched
 * unasked: the results would be flooded by rooms the caller never chose to follow.
 */
@Injectable()
export class MessageSearchService implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly access: RoomAccessService,
    private readonly repository: MessageSearchRepository,
  ) {}

  /** A SEARCH_LANGUAGE the database lacks stops the start, rather than failing every search later. */
  async onModuleInit(): Promise<void> {
    const language = this.config.searchLanguage;
    if (!(await this.repository.languageExists(language))) {
      throw unknownLanguage(language);
    }
    await this.repository.useLanguage(language);
  }

  async search(auth: AuthUser, query: SearchQueryDto, url: URL): Promise<Page<SearchResultDto>> {
    const words = this.requireWords(query.q);
    const page = toPageRequest(query, url);
    const scope: SearchScope =
      query.room_id === undefined
        ? { memberOf: auth.id }
        : { roomId: (await this.access.requireVisible(auth, query.room_id)).roomId };
    const found = await this.repository.search(this.config.searchLanguage, words, scope, auth.id, page, {
      startSel: MATCH_START,
      stopSel: MATCH_STOP,
    });
    const results = found.views.map((view, index) => ({
      ...mapMessage(view, { userId: auth.id, seen: found.seen }),
      matches: matchOffsets(view.body, found.headlines[index]),
    }));
    return toPage(page, found.count, results);
  }

  private requireWords(q: string | undefined): string {
    if (q === undefined || q.trim() === '') {
      throw new AppError('required', 'q is required: the words to search for', 'q');
    }
    if (q.length > MAX_SEARCH_QUERY_LENGTH) {
      throw invalid('q', `q must be at most ${MAX_SEARCH_QUERY_LENGTH} characters long`);
    }
    if (q.includes('\0')) {
      throw invalid('q', 'q must not contain NUL characters');
    }
    return q;
  }
}
