import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a change to messages implies for the counters is kept by the database itself, in one place,
 * whoever writes: a room starts its counters row; a new message counts in its room and is seen by its
 * author; a seen mark moves the user's read position in the message's room; a deleted message leaves
 * its room's count and its readers' read positions. Statement-level triggers see a whole batch at once.
 * `message_received_by` was written on every post and never read.
 */
export class DerivedStateTriggers1796136378784 implements MigrationInterface {
  name = 'DerivedStateTriggers1796136378784';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "message_received_by"`);

    await queryRunner.query(`
      CREATE FUNCTION rooms_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO room_stats (room_id, message_count, last_message_id, last_activity_at)
        SELECT id, 0, NULL, created FROM inserted;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER rooms_after_insert AFTER INSERT ON rooms
        REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION rooms_after_insert()`);

    // The newest message is the last in the lists' order (created, then id); a batch may hold older ones.
    await queryRunner.query(`
      CREATE FUNCTION messages_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO message_seen_by (message_id, user_id)
        SELECT id, user_id FROM inserted WHERE NOT is_reaction AND user_id IS NOT NULL
        ON CONFLICT DO NOTHING;
        UPDATE room_stats s
           SET message_count = s.message_count + p.added,
               last_message_id = CASE
                 WHEN s.last_message_id IS NULL
                   OR (p.newest_at, p.newest_id) > (SELECT m.created, m.id FROM messages m WHERE m.id = s.last_message_id)
                 THEN p.newest_id ELSE s.last_message_id END,
               last_activity_at = GREATEST(s.last_activity_at, p.newest_at)
          FROM (SELECT room_id, count(*)::int AS added, max(created) AS newest_at,
                       (array_agg(id ORDER BY created DESC, id DESC))[1] AS newest_id
                  FROM inserted WHERE NOT is_reaction GROUP BY room_id) p
         WHERE s.room_id = p.room_id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER messages_after_insert AFTER INSERT ON messages
        REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION messages_after_insert()`);

    // Only marks actually inserted are in the transition table, so marking twice counts once.
    await queryRunner.query(`
      CREATE FUNCTION message_seen_by_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO room_read_states (room_id, user_id, seen_count)
        SELECT m.room_id, marked.user_id, count(*)::int
          FROM marked JOIN messages m ON m.id = marked.message_id
         WHERE NOT m.is_reaction
         GROUP BY m.room_id, marked.user_id
        ON CONFLICT (room_id, user_id) DO UPDATE SET seen_count = room_read_states.seen_count + EXCLUDED.seen_count;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER message_seen_by_after_insert AFTER INSERT ON message_seen_by
        REFERENCING NEW TABLE AS marked FOR EACH STATEMENT EXECUTE FUNCTION message_seen_by_after_insert()`);

    // Row level, before the seen marks go with the message; nothing to keep when its room is going.
    await queryRunner.query(`
      CREATE FUNCTION messages_before_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT OLD.is_reaction AND EXISTS (SELECT 1 FROM rooms WHERE id = OLD.room_id) THEN
          UPDATE room_read_states rs SET seen_count = GREATEST(rs.seen_count - 1, 0)
            FROM message_seen_by s
           WHERE s.message_id = OLD.id AND rs.room_id = OLD.room_id AND rs.user_id = s.user_id;
        END IF;
        RETURN OLD;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER messages_before_delete BEFORE DELETE ON messages
        FOR EACH ROW EXECUTE FUNCTION messages_before_delete()`);

    await queryRunner.query(`
      CREATE FUNCTION messages_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE room_stats s
           SET message_count = GREATEST(s.message_count - g.removed, 0),
               last_message_id = (SELECT m.id FROM messages m WHERE m.room_id = s.room_id AND NOT m.is_reaction
                                   ORDER BY m.created DESC, m.id DESC LIMIT 1)
          FROM (SELECT room_id, count(*)::int AS removed FROM removed WHERE NOT is_reaction GROUP BY room_id) g
         WHERE s.room_id = g.room_id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER messages_after_delete AFTER DELETE ON messages
        REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION messages_after_delete()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [trigger, table] of [
      ['messages_after_delete', 'messages'],
      ['messages_before_delete', 'messages'],
      ['message_seen_by_after_insert', 'message_seen_by'],
      ['messages_after_insert', 'messages'],
      ['rooms_after_insert', 'rooms'],
    ]) {
      await queryRunner.query(`DROP TRIGGER ${trigger} ON ${table}`);
      await queryRunner.query(`DROP FUNCTION ${trigger}()`);
    }
    await queryRunner.query(
      `CREATE TABLE "message_received_by" ("message_id" uuid NOT NULL, "user_id" uuid NOT NULL, CONSTRAINT "PK_dabaf901d807d99a402e63bd0f8" PRIMARY KEY ("message_id", "user_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_cae5e13035c3747f26348f706b" ON "message_received_by"  ("message_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_73d0a93d991c245d111ae02c18" ON "message_received_by"  ("user_id") `);
    await queryRunner.query(
      `ALTER TABLE "message_received_by" ADD CONSTRAINT "FK_cae5e13035c3747f26348f706bb" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "message_received_by" ADD CONSTRAINT "FK_73d0a93d991c245d111ae02c183" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `INSERT INTO message_received_by (message_id, user_id) SELECT message_id, user_id FROM message_seen_by`,
    );
  }
}
