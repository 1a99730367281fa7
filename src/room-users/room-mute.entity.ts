import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../users/user.entity';

/** A member muted a room: their own preference (the seed's Room.muted_by). */
@Entity('room_muted_by')
export class RoomMute {
  @PrimaryColumn({ type: 'uuid' })
  @Index()
  roomId: string;

  @PrimaryColumn({ type: 'uuid' })
  @Index()
  userId: string;

  // Named, not imported: the rooms module builds on this one.
  @ManyToOne('Room', { onDelete: 'CASCADE', onUpdate: 'CASCADE' })
  @JoinColumn()
  room: { id: string };

  @ManyToOne(() => User, { onDelete: 'CASCADE', onUpdate: 'CASCADE' })
  @JoinColumn()
  user: User;
}
