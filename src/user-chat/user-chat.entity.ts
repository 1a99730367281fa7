import { Column, Entity, JoinColumn, OneToOne, PrimaryGeneratedColumn, RelationId, UpdateDateColumn } from 'typeorm';
import { User } from '../users/user.entity';

/** What a user is across all rooms: online or when last seen, and their status line. */
@Entity('user_chats')
export class UserChat {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @OneToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn()
  user: User;

  @RelationId((userChat: UserChat) => userChat.user)
  userId: string;

  @Column({ type: 'boolean', default: false })
  isOnline: boolean;

  /** When the user last went offline; null when they never were online. */
  @Column({ type: 'timestamptz', nullable: true })
  lastSeen: Date | null;

  /** A line the user shows next to their name ("in a meeting"); empty when none. */
  @Column({ type: 'varchar', length: 100, default: '' })
  status: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  modified: Date;
}
