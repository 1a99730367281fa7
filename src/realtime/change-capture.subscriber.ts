import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  DataSource,
  EntitySubscriberInterface,
  InsertEvent,
  QueryRunner,
  RemoveEvent,
  TransactionCommitEvent,
  TransactionRollbackEvent,
  UpdateEvent,
} from 'typeorm';
import { MessageImage } from '../images/message-image.entity';
import { MessageSeen } from '../messages/message-seen.entity';
import { Message } from '../messages/message.entity';
import { RoomMute } from '../room-users/room-mute.entity';
import { RoomUser } from '../room-users/room-user.entity';
import { RoomAdmin } from '../rooms/room-admin.entity';
import { Room } from '../rooms/room.entity';
import { UserChat } from '../user-chat/user-chat.entity';
import { actionOrigin } from './action-origin';
import { ChangeLogRepository } from './change-log.repository';
import { ChangeEntry, ChatChange, logEntriesOf } from './chat-changes';
import { ChatEventsPublisher } from './chat-events.publisher';

type Kind = 'insert' | 'update' | 'remove';

/** A transaction's changes; those before `logged` have their entries in the change log already. */
interface Pending {
  changes: ChatChange[];
  logged: number;
  entries: ChangeEntry[];
}

/**
 * Turns the entity changes TypeORM announces (repositories and the query builder, batched inserts
 * included) into typed `ChatChange`s, held per transaction. Just before COMMIT it appends what they
 * mean to the room change log, in the same transaction (so a change and its `seq` commit together or
 * not at all); after COMMIT it hands both to the publisher. A rollback drops them.
 */
@Injectable()
export class ChangeCaptureSubscriber implements EntitySubscriberInterface {
  private readonly pending = new WeakMap<QueryRunner, Pending>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly publisher: ChatEventsPublisher,
    private readonly log: ChangeLogRepository,
  ) {
    dataSource.subscribers.push(this);
  }

  afterInsert(event: InsertEvent<unknown>): void {
    this.capture(event.queryRunner, toChange(event.metadata.target, 'insert', event.entity));
  }

  afterUpdate(event: UpdateEvent<unknown>): void {
    if (event.metadata.target === MessageImage && event.databaseEntity) {
      // An image moved to another message: the message it left changes too.
      this.capture(event.queryRunner, toChange(MessageImage, 'update', event.databaseEntity));
    }
    this.capture(event.queryRunner, toChange(event.metadata.target, 'update', event.entity));
  }

  afterRemove(event: RemoveEvent<unknown>): void {
    // TypeORM clears the removed entity's primary columns; the id it had comes separately.
    const id: unknown = event.entityId;
    const entity: Record<string, unknown> = typeof id === 'object' && id !== null ? { ...id } : { id };
    for (const source of [event.databaseEntity, event.entity] as (Record<string, unknown> | undefined)[]) {
      for (const [key, value] of Object.entries(source ?? {})) {
        if (value !== undefined) {
          entity[key] = value;
        }
      }
    }
    this.capture(event.queryRunner, toChange(event.metadata.target, 'remove', entity));
  }

  /** Also called when a savepoint is released: its entries join the outer transaction's. */
  async beforeTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    const pending = this.pending.get(event.queryRunner);
    if (!pending || pending.logged === pending.changes.length) {
      return;
    }
    const entries = logEntriesOf(pending.changes.slice(pending.logged));
    pending.logged = pending.changes.length;
    if (entries.length > 0) {
      pending.entries.push(...(await this.log.append(event.queryRunner, entries)));
    }
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (event.queryRunner.isTransactionActive) {
      return; // a savepoint was released; the outer transaction may still roll back
    }
    const pending = this.pending.get(event.queryRunner);
    this.pending.delete(event.queryRunner);
    if (pending) {
      this.publisher.publishLater(pending.changes, pending.entries);
    }
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) {
      this.pending.delete(event.queryRunner);
    }
  }

  private capture(queryRunner: QueryRunner, change: ChatChange | null): void {
    if (!change) {
      return;
    }
    if (change.type === 'message_seen') {
      change.origin = actionOrigin();
    }
    if (!queryRunner.isTransactionActive) {
      // A single statement outside a transaction has committed already: its entries follow on their own.
      void this.logAfterwards([change]);
      return;
    }
    const pending = this.pending.get(queryRunner);
    if (pending) {
      pending.changes.push(change);
    } else {
      this.pending.set(queryRunner, { changes: [change], logged: 0, entries: [] });
    }
  }

  private async logAfterwards(changes: ChatChange[]): Promise<void> {
    const entries = logEntriesOf(changes);
    try {
      const logged =
        entries.length === 0
          ? []
          : await this.dataSource.transaction((manager) => this.log.append(manager.queryRunner!, entries));
      this.publisher.publishLater(changes, logged);
    } catch (error) {
      this.publisher.failed(error);
    }
  }
}

function toChange(target: unknown, kind: Kind, entity: unknown): ChatChange | null {
  if (!entity) {
    return null;
  }
  if (target === Message) {
    const message = entity as Message;
    if (!message.id) {
      return null; // an INSERT … ON CONFLICT DO NOTHING that inserted nothing
    }
    const type = ({ insert: 'message_created', update: 'message_updated', remove: 'message_deleted' } as const)[kind];
    return {
      type,
      message: {
        id: message.id,
        created: message.created,
        modified: message.modified,
        roomId: message.roomId,
        roomUserId: message.roomUserId,
        userId: message.userId ?? null,
        body: message.body ?? '',
        parentId: message.parentId ?? null,
        isReaction: message.isReaction ?? false,
        clientId: message.clientId ?? null,
        mentions: message.mentions ?? [],
      },
    };
  }
  if (target === MessageImage) {
    const { messageId } = entity as MessageImage;
    return messageId ? { type: 'image_changed', messageId } : null;
  }
  if (target === RoomUser) {
    const { id, roomId } = entity as RoomUser;
    return id && roomId ? { type: 'room_user_changed', roomUserId: id, roomId } : null;
  }
  if (target === Room) {
    const { id } = entity as Room;
    const type = ({ insert: 'room_created', update: 'room_updated', remove: 'room_deleted' } as const)[kind];
    return id ? { type, roomId: id } : null;
  }
  if (target === RoomAdmin || target === RoomMute) {
    const { roomId, userId } = entity as RoomAdmin;
    return roomId && userId ? { type: target === RoomAdmin ? 'admins_changed' : 'mute_changed', roomId, userId } : null;
  }
  if (target === MessageSeen) {
    const { messageId, userId } = entity as MessageSeen;
    return messageId && userId ? { type: 'message_seen', messageId, userId, origin: null } : null;
  }
  if (target === UserChat) {
    const userChat = entity as UserChat;
    const userId = userChat.user?.id ?? userChat.userId;
    return userId ? { type: 'online_changed', userId } : null;
  }
  return null;
}
