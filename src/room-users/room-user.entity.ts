import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { User } from '../users/user.entity';

/** A user's place in a room; messages point at it. `user` is null for the room's system sender. */
@Entity('room_users')
@Index(['room', 'user'], { unique: true })
@Index(['user', 'isActive'])
export class RoomUser {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  // Named, not imported: the rooms module builds on this one.
  @ManyToOne('Room', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn()
  room: { id: string };

  @Column({ type: 'uuid' })
  roomId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn()
  user: User | null;

  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  created: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  modified: Date;
}
