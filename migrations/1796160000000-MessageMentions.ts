import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Mentions (`message_mentions`, written by the app as it stores a body) and each member's count of
 * unseen messages that mention them (`room_read_states.mention_new_count`), kept by the database like
 * the unread counts: a mention counts unless its user has seen the message, a seen mark takes it off,
 * and a mention that goes (an edit, its message deleted) takes itself off. The mention row carries its
 * room and seen state, so that its deletion needs neither its message nor the seen marks, which a
 * cascade may have removed first. Also the UserChat status line and last-seen time.
 */
export class MessageMentions1796160000000 implements MigrationInterface {
  name = 'MessageMentions1796160000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "message_mentions" ("message_id" uuid NOT NULL, "user_id" uuid NOT NULL, "room_id" uuid NOT NULL, "is_seen" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_2b86ffdf34d7fb988951d8096b8" PRIMARY KEY ("message_id", "user_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_2ce356b13332ca02bfe96ae1e3" ON "message_mentions"  ("user_id") `);
    await queryRunner.query(`ALTER TABLE "room_read_states" ADD "mention_new_count" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "user_chats" ADD "last_seen" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "user_chats" ADD "status" character varying(100) NOT NULL DEFAULT ''`);
    await queryRunner.query(
      `ALTER TABLE "message_mentions" ADD CONSTRAINT "FK_704c2dc52c37d26393dae070253" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "message_mentions" ADD CONSTRAINT "FK_2ce356b13332ca02bfe96ae1e3d" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );

    // Whoever inserts a mention, its seen state is what the seen marks say (the author's own is seen).
    await queryRunner.query(`
      CREATE FUNCTION message_mentions_before_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.is_seen := EXISTS (SELECT 1 FROM message_seen_by s WHERE s.message_id = NEW.message_id AND s.user_id = NEW.user_id);
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER message_mentions_before_insert BEFORE INSERT ON message_mentions
        FOR EACH ROW EXECUTE FUNCTION message_mentions_before_insert()`);

    await queryRunner.query(`
      CREATE FUNCTION message_mentions_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO room_read_states (room_id, user_id, seen_count, mention_new_count)
        SELECT room_id, user_id, 0, count(*)::int FROM added WHERE NOT is_seen GROUP BY room_id, user_id
        ON CONFLICT (room_id, user_id)
          DO UPDATE SET mention_new_count = room_read_states.mention_new_count + EXCLUDED.mention_new_count;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER message_mentions_after_insert AFTER INSERT ON message_mentions
        REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION message_mentions_after_insert()`);

    await queryRunner.query(`
      CREATE FUNCTION message_mentions_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE room_read_states rs SET mention_new_count = GREATEST(rs.mention_new_count - g.removed, 0)
          FROM (SELECT room_id, user_id, count(*)::int AS removed FROM removed WHERE NOT is_seen
                 GROUP BY room_id, user_id) g
         WHERE rs.room_id = g.room_id AND rs.user_id = g.user_id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER message_mentions_after_delete AFTER DELETE ON message_mentions
        REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION message_mentions_after_delete()`);

    // Only marks actually inserted are in the transition table, and only unseen mentions turn seen.
    await queryRunner.query(`
      CREATE FUNCTION message_seen_by_after_insert_mentions() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        WITH turned AS (
          UPDATE message_mentions mm SET is_seen = true
            FROM marked
           WHERE mm.message_id = marked.message_id AND mm.user_id = marked.user_id AND NOT mm.is_seen
          RETURNING mm.room_id, mm.user_id)
        UPDATE room_read_states rs SET mention_new_count = GREATEST(rs.mention_new_count - g.seen, 0)
          FROM (SELECT room_id, user_id, count(*)::int AS seen FROM turned GROUP BY room_id, user_id) g
         WHERE rs.room_id = g.room_id AND rs.user_id = g.user_id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER message_seen_by_after_insert_mentions AFTER INSERT ON message_seen_by
        REFERENCING NEW TABLE AS marked FOR EACH STATEMENT EXECUTE FUNCTION message_seen_by_after_insert_mentions()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [trigger, table] of [
      ['message_seen_by_after_insert_mentions', 'message_seen_by'],
      ['message_mentions_after_delete', 'message_mentions'],
      ['message_mentions_after_insert', 'message_mentions'],
      ['message_mentions_before_insert', 'message_mentions'],
    ]) {
      await queryRunner.query(`DROP TRIGGER ${trigger} ON ${table}`);
      await queryRunner.query(`DROP FUNCTION ${trigger}()`);
    }
    await queryRunner.query(`ALTER TABLE "message_mentions" DROP CONSTRAINT "FK_2ce356b13332ca02bfe96ae1e3d"`);
    await queryRunner.query(`ALTER TABLE "message_mentions" DROP CONSTRAINT "FK_704c2dc52c37d26393dae070253"`);
    await queryRunner.query(`ALTER TABLE "user_chats" DROP COLUMN "status"`);
    await queryRunner.query(`ALTER TABLE "user_chats" DROP COLUMN "last_seen"`);
    await queryRunner.query(`ALTER TABLE "room_read_states" DROP COLUMN "mention_new_count"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2ce356b13332ca02bfe96ae1e3"`);
    await queryRunner.query(`DROP TABLE "message_mentions"`);
  }
}
