import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
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

/** The text search configuration named in the trigger function that keeps `search_vector`. */
const LANGUAGE_IN_FUNCTION = /to_tsvector\('([a-z0-9_]+)'::regconfig/;

/**
 * New entries wait in the index's pending list until it holds this many kB, and every search reads that
 * list through: a quarter of the default 4 MB keeps searches quick while inserts still batch.
 */
const GIN_PENDING_LIST_KB = 512;

/** Serialises the remaking of the search vectors between instances starting together. */
const SEARCH_VECTOR_LOCK = 0x6466_7376; // "dfsv"

/**
 * Full-text search over non-reaction message bodies in one text search configuration (SEARCH_LANGUAGE,
 * validated at start). Each message keeps its body's tsvector in `search_vector` (set by a trigger)
 * with a GIN index on it, so that matching uses the index and ranking reads the stored vector rather
 * than parsing every hit again.
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
   * Makes the search vectors be of `language` when they are of another (the migration makes them for
   * `simple`): the trigger's function, every message's vector and the index. That rewrites the
   * messages table, once, when the setting changes; instances starting together do it one at a time,
   * and the second finds it done.
   */
  async useLanguage(language: string): Promise<void> {
    if ((await this.vectorLanguage(this.dataSource.manager)) === language) {
      return;
    }
    await this.dataSource.transaction(async (manager) => {
      if (!isEmbedded(this.dataSource)) {
        await manager.query('SELECT pg_advisory_xact_lock($1)', [SEARCH_VECTOR_LOCK]);
      }
      if ((await this.vectorLanguage(manager)) === language) {
        return;
      }
      const vector = (body: string) => `to_tsvector('${language}'::regconfig, ${body})`;
      await manager.query(`
        CREATE OR REPLACE FUNCTION messages_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          NEW.search_vector := CASE WHEN NEW.is_reaction THEN NULL ELSE ${vector('NEW.body')} END;
          RETURN NEW;
        END $$`);
      await manager.query('DROP INDEX IF EXISTS messages_search_idx');
      await manager.query(`UPDATE messages SET search_vector = ${vector('body')} WHERE NOT is_reaction`);
      await manager.query(
        `CREATE INDEX messages_search_idx ON messages USING gin (search_vector)
           WITH (gin_pending_list_limit = ${GIN_PENDING_LIST_KB}) WHERE NOT is_reaction`,
      );
    });
  }

  /** The configuration the trigger makes vectors with. */
  private async vectorLanguage(manager: EntityManager): Promise<string | null> {
    const [row] = await manager.query<{ source: string }[]>(
      "SELECT prosrc AS source FROM pg_proc WHERE proname = 'messages_search_vector'",
    );
    return (row && LANGUAGE_IN_FUNCTION.exec(row.source)?.[1]) ?? null;
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
    // The member's rooms are read once, before the scan (ARRAY(...) is an init plan), not per hit.
    const inScope = 'roomId' in scope ? 'm.room_id = $2::uuid' : `m.room_id = ANY(ARRAY${roomIdsOfMember('$2::uuid')})`;
    const order = 'rank DESC, created DESC, id DESC';
    const [row] = await this.dataSource.query<{ count: number; results: HitJson[] }[]>(
      `WITH hits AS MATERIALIZED (
         SELECT m.id, m.created, ts_rank(m.search_vector, ${query}, 1) AS rank
           FROM messages m
          WHERE m.search_vector @@ ${query} AND NOT m.is_reaction AND ${inScope}),
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

/** A SEARCH_LANGUAGE the database does not know, said in one line. */
export const unknownLanguage = (language: string): ConfigError =>
  new ConfigError([`SEARCH_LANGUAGE must name a text search configuration of the database, got "${language}"`]);
