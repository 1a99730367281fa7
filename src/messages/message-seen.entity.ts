import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../users/user.entity';
import { Message } from './message.entity';

/** A user has seen a message (their own included). Inserting marks moves their room's read state on. */
@Entity('message_seen_by')
export class MessageSeen {
  @PrimaryColumn({ type: 'uuid' })
  @Index()
  messageId: string;

  @PrimaryColumn({ type: 'uuid' })
  @Index()
  userId: string;

  @ManyToOne(() => Message, { onDelete: 'CASCADE', onUpdate: 'CASCADE' })
  @JoinColumn()
  message: Message;

  @ManyToOne(() => User, { onDelete: 'CASCADE', onUpdate: 'CASCADE' })
  @JoinColumn()
  user: User;
}
