import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A client's own key for a send (`client_id`), unique per author: a retried request finds the message
 * its first attempt stored, and racing repeats cannot both insert.
 */
export class MessageClientId1796137829980 implements MigrationInterface {
  name = 'MessageClientId1796137829980';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "messages" ADD "client_id" character varying(64)`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "messages_client_id_key" ON "messages"  ("user_id", "client_id") WHERE "client_id" IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."messages_client_id_key"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "client_id"`);
  }
}
