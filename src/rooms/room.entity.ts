import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  JoinTable,
  ManyToMany,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { User } from '../users/user.entity';
import type { Message } from '../messages/message.entity';

@Entity('rooms')
@Index(['isPublic', 'lastActivityAt'])
export class Room {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @CreateDateColumn({ type: 'timestamptz' })
  created: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  modified: Date;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn()
  creator: User | null;

  @Column({ type: 'uuid', nullable: true })
  creatorId: string | null;

  @Column({ type: 'varchar', length: 255 })
  title: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'boolean', default: true })
  isPublic: boolean;

  @Column({ type: 'varchar', length: 1024, nullable: true })
  image: string | null;

  @ManyToMany(() => User)
  @JoinTable({ name: 'room_admins', joinColumn: { name: 'room_id' }, inverseJoinColumn: { name: 'user_id' } })
  admins: User[];

  @ManyToMany(() => User)
  @JoinTable({ name: 'room_muted_by', joinColumn: { name: 'room_id' }, inverseJoinColumn: { name: 'user_id' } })
  mutedBy: User[];

  /** Non-reaction messages in the room, kept in step with inserts and deletes in the same transaction. */
  @Column({ type: 'integer', default: 0 })
  messageCount: number;

  @ManyToOne('Message', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn()
  lastMessage: Message | null;

  @Column({ type: 'uuid', nullable: true })
  lastMessageId: string | null;

  /** When the room last had a message (or was created): rooms are listed newest activity first. */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  lastActivityAt: Date;
}
