import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change log that realtime v2 replays from: per room, a gapless `seq` (`room_seqs`, one row per
 * room, updated in place: fillfactor leaves room for HOT updates) and the changes under it
 * (`room_changes`), pruned by age through a BRIN index on `created`.
 */
export class RoomChangeLog1796150000000 implements MigrationInterface {
  name = 'RoomChangeLog1796150000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "room_changes" ("room_id" uuid NOT NULL, "seq" bigint NOT NULL, "kind" character varying(32) NOT NULL, "entity_id" uuid NOT NULL, "created" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b3e746c72960232963681c4784b" PRIMARY KEY ("room_id", "seq"))`,
    );
    await queryRunner.query(`CREATE INDEX "room_changes_created_idx" ON "room_changes" USING brin ("created")`);
    await queryRunner.query(
      `CREATE TABLE "room_seqs" ("room_id" uuid NOT NULL, "last_seq" bigint NOT NULL, CONSTRAINT "PK_9cd832b54543dc4a236518ffae8" PRIMARY KEY ("room_id")) WITH (fillfactor = 50)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "room_seqs"`);
    await queryRunner.query(`DROP TABLE "room_changes"`);
  }
}
