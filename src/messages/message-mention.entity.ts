import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../users/user.entity';
import { Message } from './message.entity';

/**
 * A message's body names a member of its room (`@username`), resolved when the body is stored. The
 * room and whether the user has seen the message are kept here, so that the triggers keep each member's
 * unseen mention count whichever way a mention goes (an edit, or its message's deletion).
 */
@Entity('message_mentions')
export class MessageMention {
  @PrimaryColumn({ type: 'uuid' })
  messageId: string;

  @PrimaryColumn({ type: 'uuid' })
  @Index()
  userId: string;

  @ManyToOne(() => Message, { onDelete: 'CASCADE' })
  @JoinColumn()
  message: Message;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn()
  user: User;

  /** The message's room; no foreign key of its own: the mention goes with its message. */
  @Column({ type: 'uuid' })
  roomId: string;

  /** Set by the database: on insert from the seen marks, then by each new seen mark. */
  @Column({ type: 'boolean', default: false })
  isSeen: boolean;
}
