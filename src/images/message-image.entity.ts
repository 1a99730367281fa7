import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Message } from '../messages/message.entity';
import { User } from '../users/user.entity';

@Entity('message_images')
@Index(['owner', 'created'])
// A message's images, in order: every message view reads them, and deleting a message cascades to them.
@Index('message_images_message_idx', ['message', 'created', 'id'])
export class MessageImage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @CreateDateColumn({ type: 'timestamptz' })
  created: Date;

  @ManyToOne(() => Message, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn()
  message: Message;

  @Column({ type: 'uuid' })
  messageId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn()
  owner: User;

  @Column({ type: 'uuid' })
  ownerId: string;

  /** The stored file's unguessable name; its URL is derived from it. */
  @Column({ type: 'varchar', length: 255, unique: true })
  storageKey: string;

  @Column({ type: 'varchar', length: 64 })
  contentType: string;

  @Column({ type: 'integer' })
  width: number;

  @Column({ type: 'integer' })
  height: number;

  @Column({ type: 'varchar', length: 255, default: '' })
  name: string;

  @Column({ type: 'integer' })
  size: number;

  /** The WebP thumbnail's key (null for images uploaded before thumbnails were made). */
  @Column({ type: 'varchar', length: 255, unique: true, nullable: true })
  thumbnailKey: string | null;

  @Column({ type: 'integer', nullable: true })
  thumbnailSize: number | null;

  /** A blurred preview as a `data:image/webp;base64,` URI of at most 1 KB. */
  @Column({ type: 'varchar', length: 1024, nullable: true })
  placeholder: string | null;
}
