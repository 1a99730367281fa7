import { Column, Entity, Index, JoinColumn, ManyToOne, OneToOne, PrimaryColumn } from 'typeorm';
import { Message } from './message.entity';

/**
 * A room's message counters, kept in step with every insert and delete in the same transaction, so
 * that room lists cost the same whatever the history. Apart from the room row, so that posting does
 * not contend with editing the room.
 */
@Entity('room_stats')
@Index(['lastActivityAt'])
export class RoomStats {
  @PrimaryColumn({ type: 'uuid' })
  roomId: string;

  // Named, not imported: the rooms module builds on this one.
  @OneToOne('Room', { onDelete: 'CASCADE' })
  @JoinColumn()
  room: { id: string };

  /** Non-reaction messages in the room. */
  @Column({ type: 'integer', default: 0 })
  messageCount: number;

  @ManyToOne(() => Message, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn()
  lastMessage: Message | null;

  @Column({ type: 'uuid', nullable: true })
  lastMessageId: string | null;

  /** The newest message's time, or the room's creation: rooms are listed newest activity first. */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  lastActivityAt: Date;
}
