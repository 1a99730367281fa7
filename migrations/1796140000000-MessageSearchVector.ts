import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Full-text search over message bodies: each non-reaction body's tsvector, stored so that ranking a
 * search's hits reads it instead of parsing every hit again, with a GIN index on it. A trigger keeps
 * it (a generated column would make TypeORM read back the vector after every insert and update). Made
 * for the default SEARCH_LANGUAGE (`simple`); the app remakes function, vectors and index at start-up
 * for another language (`MessageSearchRepository.useLanguage`).
 */
export class MessageSearchVector1796140000000 implements MigrationInterface {
  name = 'MessageSearchVector1796140000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "messages" ADD "search_vector" tsvector`);
    await queryRunner.query(`
      CREATE FUNCTION messages_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.search_vector := CASE WHEN NEW.is_reaction THEN NULL ELSE to_tsvector('simple'::regconfig, NEW.body) END;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER messages_search_vector BEFORE INSERT OR UPDATE OF body ON messages
        FOR EACH ROW EXECUTE FUNCTION messages_search_vector()`);
    await queryRunner.query(
      `UPDATE "messages" SET "search_vector" = to_tsvector('simple'::regconfig, "body") WHERE NOT "is_reaction"`,
    );
    await queryRunner.query(
      `CREATE INDEX "messages_search_idx" ON "messages" USING gin ("search_vector")
         WITH (gin_pending_list_limit = 512) WHERE NOT "is_reaction"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."messages_search_idx"`);
    await queryRunner.query(`DROP TRIGGER messages_search_vector ON messages`);
    await queryRunner.query(`DROP FUNCTION messages_search_vector()`);
    await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "search_vector"`);
  }
}
