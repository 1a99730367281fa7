import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The change log: each change to a room that its members are told of, under the room's next `seq`.
 * Rows hold what changed, not its content: a replay reads the object as it is now. No foreign key to
 * the room: a deleted room's last change (`room_deleted`) outlives it until it is pruned.
 */
@Entity('room_changes')
// BRIN: pruning by age reads a few block ranges, and costs the inserts almost nothing.
@Index('room_changes_created_idx', { synchronize: false })
export class RoomChange {
  @PrimaryColumn({ type: 'uuid' })
  roomId: string;

  @PrimaryColumn({ type: 'bigint' })
  seq: string;

  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ type: 'uuid' })
  entityId: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  created: Date;
}

/** Each room's latest `seq`, kept apart from the log so that pruning the log never lets a seq be reused. */
@Entity('room_seqs')
export class RoomSeq {
  @PrimaryColumn({ type: 'uuid' })
  roomId: string;

  @Column({ type: 'bigint' })
  lastSeq: string;
}
