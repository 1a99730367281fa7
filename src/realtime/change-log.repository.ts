import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryRunner } from 'typeorm';
import { roomIdOfMessage } from '../messages/messages.repository';
import type { ChangeEntry, ChangeKind, LogBounds, NewChangeEntry } from './chat-changes';

interface EntryRow {
  room_id: string;
  seq: string;
  kind: ChangeKind;
  entity_id: string;
}

const toEntry = (row: EntryRow): ChangeEntry => ({
  roomId: row.room_id,
  seq: Number(row.seq),
  kind: row.kind,
  entityId: row.entity_id,
});

/** Every query of `room_changes` and `room_seqs`. */
@Injectable()
export class ChangeLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Appends the entries in the writing transaction, each under its room's next seq, in the order
   * given; answers them with their seqs. Taking the seqs locks the rooms' counters until the
   * transaction ends, so a room's seqs follow the order its changes commit in, with no gap.
   */
  async append(queryRunner: QueryRunner, entries: NewChangeEntry[]): Promise<ChangeEntry[]> {
    const rows = (await queryRunner.query(
      `WITH given AS (
         SELECT COALESCE(g.room_id, ${roomIdOfMessage('g.entity_id')}) AS room_id, g.kind, g.entity_id, g.ord
           FROM unnest($1::uuid[], $2::text[], $3::uuid[]) WITH ORDINALITY AS g(room_id, kind, entity_id, ord)
       ), counted AS (
         SELECT room_id, count(*)::bigint AS n FROM given WHERE room_id IS NOT NULL GROUP BY room_id
       ), taken AS (
         INSERT INTO room_seqs AS s (room_id, last_seq)
         SELECT room_id, n FROM counted ORDER BY room_id
         ON CONFLICT (room_id) DO UPDATE SET last_seq = s.last_seq + EXCLUDED.last_seq
         RETURNING s.room_id, s.last_seq
       )
       INSERT INTO room_changes (room_id, seq, kind, entity_id)
       SELECT g.room_id, t.last_seq - c.n + row_number() OVER (PARTITION BY g.room_id ORDER BY g.ord), g.kind, g.entity_id
         FROM given g JOIN counted c USING (room_id) JOIN taken t USING (room_id)
       RETURNING room_id, seq, kind, entity_id`,
      [
        entries.map((entry) => entry.roomId),
        entries.map((entry) => entry.kind),
        entries.map((entry) => entry.entityId),
      ],
    )) as EntryRow[];
    return rows.map(toEntry).sort((a, b) => (a.roomId === b.roomId ? a.seq - b.seq : 0));
  }

  /** The room's entries after `since`, oldest first, at most `limit`. */
  async after(roomId: string, since: number, limit: number): Promise<ChangeEntry[]> {
    const rows = await this.dataSource.query<EntryRow[]>(
      `SELECT room_id, seq, kind, entity_id FROM room_changes WHERE room_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [roomId, since, limit],
    );
    return rows.map(toEntry);
  }

  /** The room's latest seq; 0 before its first change. */
  async latest(roomId: string): Promise<number> {
    const rows = await this.dataSource.query<{ last_seq: string }[]>(
      `SELECT last_seq FROM room_seqs WHERE room_id = $1`,
      [roomId],
    );
    return Number(rows[0]?.last_seq ?? 0);
  }

  /** The bounds of each room's log; a room with no change yet has latest 0. */
  async bounds(roomIds: string[]): Promise<Map<string, LogBounds>> {
    const rows = await this.dataSource.query<{ room_id: string; latest: string | null; oldest: string | null }[]>(
      `SELECT r.room_id, s.last_seq AS latest,
              (SELECT min(c.seq) FROM room_changes c WHERE c.room_id = r.room_id) AS oldest
         FROM unnest($1::uuid[]) AS r(room_id)
         LEFT JOIN room_seqs s ON s.room_id = r.room_id`,
      [roomIds],
    );
    return new Map(
      rows.map((row) => [
        row.room_id,
        { latest: Number(row.latest ?? 0), oldestKept: row.oldest === null ? null : Number(row.oldest) },
      ]),
    );
  }

  /** Deletes the entries older than `before`; answers how many. */
  async prune(before: Date): Promise<number> {
    const [{ count }] = await this.dataSource.query<{ count: number }[]>(
      `WITH pruned AS (DELETE FROM room_changes WHERE created < $1 RETURNING 1) SELECT count(*)::int AS count FROM pruned`,
      [before],
    );
    return count;
  }
}
