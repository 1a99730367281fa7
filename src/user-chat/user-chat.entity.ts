import { Column, Entity, JoinColumn, OneToOne, PrimaryGeneratedColumn, RelationId, UpdateDateColumn } from 'typeorm';
import { User } from '../users/user.entity';

/** What a user is across all rooms: for now, whether they are online. */
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

  @UpdateDateColumn({ type: 'timestamptz' })
  modified: Date;
}
