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
import { RoomUser } from '../room-users/room-user.entity';
import { User } from '../users/user.entity';

@Entity('messages')
@Index('messages_room_history_idx', ['room', 'created', 'id'], { where: '"is_reaction" = false' })
@Index('messages_parent_idx', ['parent', 'created', 'id'])
@Index('messages_reaction_once_key', ['parent', 'userId', 'body'], { unique: true, where: '"is_reaction" = true' })
@Index('messages_client_id_key', ['userId', 'clientId'], { unique: true, where: '"client_id" IS NOT NULL' })
// Full-text search: `search_vector`'s GIN index is made by migration MessageSearchVector and remade by the
// search repository for SEARCH_LANGUAGE.
@Index('messages_search_idx', { synchronize: false })
export class Message {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @CreateDateColumn({ type: 'timestamptz' })
  created: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  modified: Date;

  // Named, not imported: the rooms module builds on this one.
  @ManyToOne('Room', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn()
  room: { id: string };

  @Column({ type: 'uuid' })
  roomId: string;

  @ManyToOne(() => RoomUser, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn()
  roomUser: RoomUser;

  @Column({ type: 'uuid' })
  roomUserId: string;

  /** The author's user id, copied from the room user (which never changes user) for cheap filters. */
  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn()
  user: User | null;

  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ type: 'text', default: '' })
  body: string;

  /** The body's words for full-text search (null for reactions), kept by a trigger; never read as a field. */
  @Column({ type: 'tsvector', nullable: true, select: false, insert: false, update: false })
  searchVector?: string | null;

  /** Replies keep living when their parent goes (the link is cleared); reactions are deleted with it. */
  @ManyToOne(() => Message, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn()
  parent: Message | null;

  @Column({ type: 'uuid', nullable: true })
  parentId: string | null;

  @Column({ type: 'boolean', default: false })
  isReaction: boolean;

  /** The author's own key for the request that stored it: a repeated request answers this message. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  clientId: string | null;

  /**
   * Not a column (`message_mentions` holds them): the user ids its body mentions, set on a message being
   * inserted so that the change it makes announces them with it.
   */
  mentions?: string[];
}
