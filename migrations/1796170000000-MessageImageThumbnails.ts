import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each image's WebP thumbnail (its own key, unique so that the file route finds its row) and blurred
 * placeholder. Images uploaded before have neither: the columns stay null for them.
 */
export class MessageImageThumbnails1796170000000 implements MigrationInterface {
  name = 'MessageImageThumbnails1796170000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "message_images" ADD "thumbnail_key" character varying(255)`);
    await queryRunner.query(
      `ALTER TABLE "message_images" ADD CONSTRAINT "UQ_a07815ad30609392659f0042805" UNIQUE ("thumbnail_key")`,
    );
    await queryRunner.query(`ALTER TABLE "message_images" ADD "thumbnail_size" integer`);
    await queryRunner.query(`ALTER TABLE "message_images" ADD "placeholder" character varying(1024)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "message_images" DROP COLUMN "placeholder"`);
    await queryRunner.query(`ALTER TABLE "message_images" DROP COLUMN "thumbnail_size"`);
    await queryRunner.query(`ALTER TABLE "message_images" DROP CONSTRAINT "UQ_a07815ad30609392659f0042805"`);
    await queryRunner.query(`ALTER TABLE "message_images" DROP COLUMN "thumbnail_key"`);
  }
}
