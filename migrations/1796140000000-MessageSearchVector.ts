import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Full-text search over message bodies: each body's tsvector, stored so that ranking a search's hits
 * reads it instead of parsing every hit again, and a GIN index on it. Made for the default
 * SEARCH_LANGUAGE (`simple`); the app remakes both at start-up for another language
 * (`MessageSearchRepository.useLanguage`).
 */
export class MessageSearchVector1796140000000 implements MigrationInterface {
  name = 'MessageSearchVector1796140000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "messages" ADD "search_vector" tsvector
         GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, "body")) STORED`,
    );
    await queryRunner.query(
      `CREATE INDEX "messages_search_idx" ON "messages" USING gin ("search_vector")
         WITH (gin_pending_list_limit = 512) WHERE NOT "is_reaction"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."messages_search_idx"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "search_vector"`);
  }
}
