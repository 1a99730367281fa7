import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Full-text search over message bodies with the default SEARCH_LANGUAGE (`simple`). Another language's
 * index is made at start-up (`MessageSearchRepository.ensureIndex`), as the language is a setting.
 */
export class MessageSearchIndex1796140000000 implements MigrationInterface {
  name = 'MessageSearchIndex1796140000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS "messages_search_simple_idx" ON "messages"
         USING gin (to_tsvector('simple'::regconfig, "body")) WHERE NOT "is_reaction"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "public"."messages_search_simple_idx"`);
  }
}
