import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConfigError } from '../common/config/config';
import { isEmbedded } from '../common/database/data-source';
import { limitOffset, PageRequest } from '../common/http/pagination';
import { roomIdsOfMember } from '../room-users/room-users.repository';
import { MessagesRepository, messageViewColumns, MessageViewJson, ViewsForViewer } from './messages.repository';

/** Where to search: one room, or every room the viewer is an active member of. */
export type SearchScope = { roomId: string } | { memberOf: string };

/** A page of search hits: the total, the views in rank order, and each view's body as `ts_headline` marked it. */
export interface SearchPage extends ViewsForViewer {
  count: number;
  headlines: string[];
}

type HitJson = MessageViewJson & { headline: string };

/** The name of the GIN index that serves searches in text search configuration `language`. */
export const searchIndexName = (language: string): string => `messages_search_${language}_idx`;

/**
 * Full-text search over non-reaction message bodies in one text search configuration (SEARCH_LANGUAGE,
 * validated at start). The configuration is written into the SQL as a constant so that each query's
 * `to_tsvector(config, body)` is the indexed expression and the planner can use the GIN index.
 */
@Injectable()
export class MessageSearchRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly messages: MessagesRepository,
  ) {}

  /** Whether the database has this text search configuration. */
  async languageExists(language: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>('SELECT 1 FROM pg_ts_config WHERE cfgname = $1', [language]);
    return rows.length > 0;
  }

  /**
   * Makes the language's index when it is missing (the migration makes `simple`'s). On PostgreSQL it is
   * built without blocking writes, one instance at a time; an index left invalid by an interrupted
   * build is made again.
   */
  async ensureIndex(language: string): Promise<void> {
    const name = searchIndexName(language);
    const create = (concurrently: boolean) =>
      `CREATE INDEX ${concurrently ? 'CONCURRENTLY ' : ''}IF NOT EXISTS "${name}" ON messages
         USING gin (${tsvector(language, 'body')}) WHERE NOT is_reaction`;
    if (isEmbedded(this.dataSource)) {
      await this.dataSource.query(create(false));
      return;
    }
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
      const [index] = (await runner.query(
        `SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
          WHERE c.relname = $1 AND pg_table_is_visible(c.oid)`,
        [name],
      )) as ({ valid: boolean } | undefined)[];
      if (index && !index.valid) {
        await runner.query(`DROP INDEX CONCURRENTLY "${name}"`);
      }
      if (!index?.valid) {
        await runner.query(create(true));
      }
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [name]).catch(() => undefined);
      await runner.release();
    }
  }

  /**
   * One page of the non-reaction messages in `scope` matching `words` (websearch syntax), best rank
   * first, then newest; with the total and each hit's body with the matched words between `startSel`
   * and `stopSel`. The hits are ranked once; only the page's rows are made into views and highlighted.
   */
  async search(
    language: string,
    words: string,
    scope: SearchScope,
    viewerId: string,
    page: PageRequest,
    markers: { startSel: string; stopSel: string },
  ): Promise<SearchPage> {
    const query = `websearch_to_tsquery('${language}'::regconfig, $1)`;
    const inScope = 'roomId' in scope ? 'm.room_id = $2::uuid' : `m.room_id IN ${roomIdsOfMember('$2::uuid')}`;
    const order = 'rank DESC, created DESC, id DESC';
    const [row] = await this.dataSource.query<{ count: number; results: HitJson[] }[]>(
      `WITH hits AS MATERIALIZED (
         SELECT m.id, m.created, ts_rank(${tsvector(language, 'm.body')}, ${query}, 1) AS rank
           FROM messages m
          WHERE ${tsvector(language, 'm.body')} @@ ${query} AND NOT m.is_reaction AND ${inScope}),
       page AS (SELECT * FROM hits ORDER BY ${order} ${limitOffset(page, 4)})
       SELECT (SELECT count(*)::int FROM hits) AS count,
              COALESCE((SELECT json_agg(v ORDER BY ${order})
                 FROM (SELECT ${messageViewColumns('$3::uuid')}, p.rank,
                              ts_headline('${language}'::regconfig, m.body, ${query}, $5) AS headline
                         FROM page p JOIN messages m ON m.id = p.id) v), '[]'::json) AS results`,
      [
        words,
        'roomId' in scope ? scope.roomId : scope.memberOf,
        viewerId,
        page.offset,
        `StartSel="${markers.startSel}", StopSel="${markers.stopSel}", HighlightAll=true`,
      ],
    );
    return {
      count: row.count,
      headlines: row.results.map((hit) => hit.headline),
      ...this.messages.viewsFromJson(row.results),
    };
  }
}

const tsvector = (language: string, column: string): string => `to_tsvector('${language}'::regconfig, ${column})`;

/** A SEARCH_LANGUAGE the database does not know, said in one line. */
export const unknownLanguage = (language: string): ConfigError =>
  new ConfigError(`SEARCH_LANGUAGE must name a text search configuration of the database, got "${language}"`);
