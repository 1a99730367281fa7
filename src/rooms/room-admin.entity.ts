import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../users/user.entity';
import { Room } from './room.entity';

/** One of a room's admins besides its creator, who always counts as one. */
@Entity('room_admins')
export class RoomAdmin {
  @PrimaryColumn({ type: 'uuid' })
  @Index()
  roomId: string;

  @PrimaryColumn({ type: 'uuid' })
  @Index()
  userId: string;

  @ManyToOne(() => Room, { onDelete: 'CASCADE', onUpdate: 'CASCADE' })
  @JoinColumn()
  room: Room;

  @ManyToOne(() => User, { onDelete: 'CASCADE', onUpdate: 'CASCADE' })
  @JoinColumn()
  user: User;
}
