import { MigrationInterface, QueryRunner } from 'typeorm';

export class MessageImagesMessageIndex1795635048474 implements MigrationInterface {
  name = 'MessageImagesMessageIndex1795635048474';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "message_images_message_idx" ON "message_images"  ("message_id", "created", "id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."message_images_message_idx"`);
  }
}
