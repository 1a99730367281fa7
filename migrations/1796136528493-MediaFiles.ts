import { MigrationInterface, QueryRunner } from 'typeorm';

export class MediaFiles1796136528493 implements MigrationInterface {
  name = 'MediaFiles1796136528493';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "media_files" ("key" character varying(255) NOT NULL, "size" integer NOT NULL, "created" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a1092d459371530ce0c10c20895" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "media_file_chunks" ("file_key" character varying(255) NOT NULL, "part" integer NOT NULL, "data" bytea NOT NULL, CONSTRAINT "PK_d8e7073295280bba4f900b49651" PRIMARY KEY ("file_key", "part"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "media_file_chunks" ADD CONSTRAINT "FK_db7ee32937b1d59babbf224825d" FOREIGN KEY ("file_key") REFERENCES "media_files"("key") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // Images are compressed already: keep chunks out of line without trying to compress them again.
    await queryRunner.query(`ALTER TABLE "media_file_chunks" ALTER COLUMN "data" SET STORAGE EXTERNAL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "media_file_chunks" DROP CONSTRAINT "FK_db7ee32937b1d59babbf224825d"`);
    await queryRunner.query(`DROP TABLE "media_file_chunks"`);
    await queryRunner.query(`DROP TABLE "media_files"`);
  }
}
