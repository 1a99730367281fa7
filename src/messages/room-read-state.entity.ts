import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../users/user.entity';

/**
 * How many of a room's non-reaction messages a user has seen (their own included). With the room's
 * message count it gives the unread count in constant time, however long the history.
 */
@Entity('room_read_states')
export class RoomReadState {
  @PrimaryColumn({ type: 'uuid' })
  roomId: string;

  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  // Named, not imported: the rooms module builds on this one.
  @ManyToOne('Room', { onDelete: 'CASCADE' })
  @JoinColumn()
  room: { id: string };

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn()
  user: User;

  @Column({ type: 'integer', default: 0 })
  seenCount: number;

  /** Non-reaction messages of the room that mention the user and that they have not seen. */
  @Column({ type: 'integer', default: 0 })
  mentionNewCount: number;
}
