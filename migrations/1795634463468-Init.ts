import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1795634463468 implements MigrationInterface {
  name = 'Init1795634463468';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "username" character varying(150) NOT NULL, "password_hash" character varying(255) NOT NULL, "first_name" character varying(150) NOT NULL DEFAULT '', "email" character varying(254) NOT NULL DEFAULT '', "is_admin" boolean NOT NULL DEFAULT false, "token_version" integer NOT NULL DEFAULT '0', "created" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "modified" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "users_username_lower_key" ON "users" (lower("username"))`);
    await queryRunner.query(
      `CREATE TABLE "rooms" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "modified" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "creator_id" uuid, "title" character varying(255) NOT NULL, "description" text NOT NULL DEFAULT '', "is_public" boolean NOT NULL DEFAULT true, "image" character varying(1024), CONSTRAINT "PK_0368a2d7c215f2d0458a54933f2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "room_users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "room_id" uuid NOT NULL, "user_id" uuid, "is_active" boolean NOT NULL DEFAULT true, "created" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "modified" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6ba6f5ed6505258587bcf0e8db6" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_881e244fbc3acc456bd0c8321c" ON "room_users"  ("user_id", "is_active") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_ba0fd8c93a7d079c1ebe5db4e1" ON "room_users"  ("room_id", "user_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "messages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "modified" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "room_id" uuid NOT NULL, "room_user_id" uuid NOT NULL, "user_id" uuid, "body" text NOT NULL DEFAULT '', "parent_id" uuid, "is_reaction" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_18325f38ae6de43878487eff986" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "messages_reaction_once_key" ON "messages"  ("parent_id", "user_id", "body") WHERE "is_reaction" = true`,
    );
    await queryRunner.query(`CREATE INDEX "messages_parent_idx" ON "messages"  ("parent_id", "created", "id") `);
    await queryRunner.query(
      `CREATE INDEX "messages_room_history_idx" ON "messages"  ("room_id", "created", "id") WHERE "is_reaction" = false`,
    );
    await queryRunner.query(
      `CREATE TABLE "message_images" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "message_id" uuid NOT NULL, "owner_id" uuid NOT NULL, "storage_key" character varying(255) NOT NULL, "content_type" character varying(64) NOT NULL, "width" integer NOT NULL, "height" integer NOT NULL, "name" character varying(255) NOT NULL DEFAULT '', "size" integer NOT NULL, CONSTRAINT "UQ_a91addb5819e5a54ce27eca1756" UNIQUE ("storage_key"), CONSTRAINT "PK_3550887af28f7a2dd655e314faa" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_1a0d680f5aef0642179cc83e38" ON "message_images"  ("owner_id", "created") `,
    );
    await queryRunner.query(
      `CREATE TABLE "room_read_states" ("room_id" uuid NOT NULL, "user_id" uuid NOT NULL, "seen_count" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_a3842f11e1f95c8a825ebad4e06" PRIMARY KEY ("room_id", "user_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "room_stats" ("room_id" uuid NOT NULL, "message_count" integer NOT NULL DEFAULT '0', "last_message_id" uuid, "last_activity_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_856cd12d791e70b6576c89d058b" PRIMARY KEY ("room_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_e2cbbbe10714a0bfad6e277cd6" ON "room_stats"  ("last_activity_at") `);
    await queryRunner.query(
      `CREATE TABLE "user_chats" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "is_online" boolean NOT NULL DEFAULT false, "modified" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "user_id" uuid NOT NULL, CONSTRAINT "REL_e4ae183f8d8d5877abe69258f5" UNIQUE ("user_id"), CONSTRAINT "PK_d98a4bf415e9e2c6f12cb355251" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "room_admins" ("room_id" uuid NOT NULL, "user_id" uuid NOT NULL, CONSTRAINT "PK_ddac90a5c42dec7e79ce222ae07" PRIMARY KEY ("room_id", "user_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_10989e2b9f614cfcaeb09569ae" ON "room_admins"  ("room_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_fb2e71d5711f6aab0b5bb6861f" ON "room_admins"  ("user_id") `);
    await queryRunner.query(
      `CREATE TABLE "room_muted_by" ("room_id" uuid NOT NULL, "user_id" uuid NOT NULL, CONSTRAINT "PK_97ad21d1cb5a4204476ced712ee" PRIMARY KEY ("room_id", "user_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_8e8638d80f8e161196d281c111" ON "room_muted_by"  ("room_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_0afd9472d6be33da5dfbeb3eff" ON "room_muted_by"  ("user_id") `);
    await queryRunner.query(
      `CREATE TABLE "message_seen_by" ("message_id" uuid NOT NULL, "user_id" uuid NOT NULL, CONSTRAINT "PK_563ecbd2604a308dffd32dba08a" PRIMARY KEY ("message_id", "user_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_8590a6828f35ae89033c7e08b0" ON "message_seen_by"  ("message_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_afa254f79f130f9ee7b021cba8" ON "message_seen_by"  ("user_id") `);
    await queryRunner.query(
      `CREATE TABLE "message_received_by" ("message_id" uuid NOT NULL, "user_id" uuid NOT NULL, CONSTRAINT "PK_dabaf901d807d99a402e63bd0f8" PRIMARY KEY ("message_id", "user_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_cae5e13035c3747f26348f706b" ON "message_received_by"  ("message_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_73d0a93d991c245d111ae02c18" ON "message_received_by"  ("user_id") `);
    await queryRunner.query(
      `ALTER TABLE "rooms" ADD CONSTRAINT "FK_bd1f2365f91582fcdaadc7abdbe" FOREIGN KEY ("creator_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "room_users" ADD CONSTRAINT "FK_443c187b06edbc18738b24aac34" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "room_users" ADD CONSTRAINT "FK_5421c55fb0212b9ff62fe9d3c89" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "FK_1dda4fc8dbeeff2ee71f0088ba0" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "FK_b089ec86d84a77084977cdb5ca0" FOREIGN KEY ("room_user_id") REFERENCES "room_users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "FK_830a3c1d92614d1495418c46736" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "FK_932abe146b78bd584b4d1851ce3" FOREIGN KEY ("parent_id") REFERENCES "messages"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "message_images" ADD CONSTRAINT "FK_0e3536d9a024c556083266996af" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "message_images" ADD CONSTRAINT "FK_ebe6fd235cbaaa0aa63b7b88b13" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "room_read_states" ADD CONSTRAINT "FK_57f0c9fed414fc146ced04acf4b" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "room_read_states" ADD CONSTRAINT "FK_2eec6eaa70c598930bbbf3557f2" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "room_stats" ADD CONSTRAINT "FK_856cd12d791e70b6576c89d058b" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "room_stats" ADD CONSTRAINT "FK_d5337d2dcacccefc3e6e74f0ddc" FOREIGN KEY ("last_message_id") REFERENCES "messages"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "user_chats" ADD CONSTRAINT "FK_e4ae183f8d8d5877abe69258f51" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "room_admins" ADD CONSTRAINT "FK_10989e2b9f614cfcaeb09569ae3" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "room_admins" ADD CONSTRAINT "FK_fb2e71d5711f6aab0b5bb6861f6" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "room_muted_by" ADD CONSTRAINT "FK_8e8638d80f8e161196d281c1115" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "room_muted_by" ADD CONSTRAINT "FK_0afd9472d6be33da5dfbeb3efff" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "message_seen_by" ADD CONSTRAINT "FK_8590a6828f35ae89033c7e08b02" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "message_seen_by" ADD CONSTRAINT "FK_afa254f79f130f9ee7b021cba80" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "message_received_by" ADD CONSTRAINT "FK_cae5e13035c3747f26348f706bb" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "message_received_by" ADD CONSTRAINT "FK_73d0a93d991c245d111ae02c183" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "message_received_by" DROP CONSTRAINT "FK_73d0a93d991c245d111ae02c183"`);
    await queryRunner.query(`ALTER TABLE "message_received_by" DROP CONSTRAINT "FK_cae5e13035c3747f26348f706bb"`);
    await queryRunner.query(`ALTER TABLE "message_seen_by" DROP CONSTRAINT "FK_afa254f79f130f9ee7b021cba80"`);
    await queryRunner.query(`ALTER TABLE "message_seen_by" DROP CONSTRAINT "FK_8590a6828f35ae89033c7e08b02"`);
    await queryRunner.query(`ALTER TABLE "room_muted_by" DROP CONSTRAINT "FK_0afd9472d6be33da5dfbeb3efff"`);
    await queryRunner.query(`ALTER TABLE "room_muted_by" DROP CONSTRAINT "FK_8e8638d80f8e161196d281c1115"`);
    await queryRunner.query(`ALTER TABLE "room_admins" DROP CONSTRAINT "FK_fb2e71d5711f6aab0b5bb6861f6"`);
    await queryRunner.query(`ALTER TABLE "room_admins" DROP CONSTRAINT "FK_10989e2b9f614cfcaeb09569ae3"`);
    await queryRunner.query(`ALTER TABLE "user_chats" DROP CONSTRAINT "FK_e4ae183f8d8d5877abe69258f51"`);
    await queryRunner.query(`ALTER TABLE "room_stats" DROP CONSTRAINT "FK_d5337d2dcacccefc3e6e74f0ddc"`);
    await queryRunner.query(`ALTER TABLE "room_stats" DROP CONSTRAINT "FK_856cd12d791e70b6576c89d058b"`);
    await queryRunner.query(`ALTER TABLE "room_read_states" DROP CONSTRAINT "FK_2eec6eaa70c598930bbbf3557f2"`);
    await queryRunner.query(`ALTER TABLE "room_read_states" DROP CONSTRAINT "FK_57f0c9fed414fc146ced04acf4b"`);
    await queryRunner.query(`ALTER TABLE "message_images" DROP CONSTRAINT "FK_ebe6fd235cbaaa0aa63b7b88b13"`);
    await queryRunner.query(`ALTER TABLE "message_images" DROP CONSTRAINT "FK_0e3536d9a024c556083266996af"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "FK_932abe146b78bd584b4d1851ce3"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "FK_830a3c1d92614d1495418c46736"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "FK_b089ec86d84a77084977cdb5ca0"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "FK_1dda4fc8dbeeff2ee71f0088ba0"`);
    await queryRunner.query(`ALTER TABLE "room_users" DROP CONSTRAINT "FK_5421c55fb0212b9ff62fe9d3c89"`);
    await queryRunner.query(`ALTER TABLE "room_users" DROP CONSTRAINT "FK_443c187b06edbc18738b24aac34"`);
    await queryRunner.query(`ALTER TABLE "rooms" DROP CONSTRAINT "FK_bd1f2365f91582fcdaadc7abdbe"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_73d0a93d991c245d111ae02c18"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_cae5e13035c3747f26348f706b"`);
    await queryRunner.query(`DROP TABLE "message_received_by"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_afa254f79f130f9ee7b021cba8"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_8590a6828f35ae89033c7e08b0"`);
    await queryRunner.query(`DROP TABLE "message_seen_by"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0afd9472d6be33da5dfbeb3eff"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_8e8638d80f8e161196d281c111"`);
    await queryRunner.query(`DROP TABLE "room_muted_by"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_fb2e71d5711f6aab0b5bb6861f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_10989e2b9f614cfcaeb09569ae"`);
    await queryRunner.query(`DROP TABLE "room_admins"`);
    await queryRunner.query(`DROP TABLE "user_chats"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e2cbbbe10714a0bfad6e277cd6"`);
    await queryRunner.query(`DROP TABLE "room_stats"`);
    await queryRunner.query(`DROP TABLE "room_read_states"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1a0d680f5aef0642179cc83e38"`);
    await queryRunner.query(`DROP TABLE "message_images"`);
    await queryRunner.query(`DROP INDEX "public"."messages_room_history_idx"`);
    await queryRunner.query(`DROP INDEX "public"."messages_parent_idx"`);
    await queryRunner.query(`DROP INDEX "public"."messages_reaction_once_key"`);
    await queryRunner.query(`DROP TABLE "messages"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ba0fd8c93a7d079c1ebe5db4e1"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_881e244fbc3acc456bd0c8321c"`);
    await queryRunner.query(`DROP TABLE "room_users"`);
    await queryRunner.query(`DROP TABLE "rooms"`);
    await queryRunner.query(`DROP INDEX "public"."users_username_lower_key"`);
    await queryRunner.query(`DROP TABLE "users"`);
  }
}
