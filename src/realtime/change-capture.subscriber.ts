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
import { Message } from '../messages/message.entity';
import { RoomUser } from '../room-users/room-user.entity';
import { Room } from '../rooms/room.entity';
import { UserChat } from '../user-chat/user-chat.entity';
import { ChatEventsPublisher, EntityChange } from './chat-events.publisher';

type Tracked = Message | RoomUser | MessageImage | Room | UserChat;

/**
 * An adapter only: turns committed entity changes into `EntityChange`s for the publisher. Changes are
 * held per transaction and handed over after COMMIT; a rollback drops them, so nothing is pushed for
 * a change that never happened. Services therefore write the tracked entities through the entity
 * manager with their ids (insert, save, remove): a bulk `update()` or raw SQL is not seen, unless it
 * announces itself through its query runner's broadcaster as the entity manager does (a new message).
 */
@Injectable()
export class ChangeCaptureSubscriber implements EntitySubscriberInterface<Tracked> {
  private readonly pending = new WeakMap<QueryRunner, EntityChange[]>();

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly publisher: ChatEventsPublisher,
  ) {
    dataSource.subscribers.push(this);
  }

  afterInsert(event: InsertEvent<Tracked>): void {
    this.capture(event.queryRunner, this.toChange(event.entity, 'insert', event.metadata.target));
  }

  afterUpdate(event: UpdateEvent<Tracked>): void {
    if (event.metadata.target === MessageImage && event.databaseEntity) {
      // An image moved to another message: the message it left changes too.
      this.capture(event.queryRunner, this.toChange(event.databaseEntity, 'update', MessageImage));
    }
    this.capture(
      event.queryRunner,
      this.toChange(event.entity as Tracked | undefined, 'update', event.metadata.target),
    );
  }

  afterRemove(event: RemoveEvent<Tracked>): void {
    const entity = { ...(event.databaseEntity ?? {}), ...(event.entity ?? {}) };
    const id = (event.entityId as string | undefined) ?? (entity as { id?: string }).id;
    if (event.metadata.target === Message || event.metadata.target === MessageImage || event.metadata.target === Room) {
      this.capture(event.queryRunner, this.toChange(Object.assign(entity, { id }), 'remove', event.metadata.target));
    }
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (event.queryRunner.isTransactionActive) {
      return; // a savepoint was released; the outer transaction may still roll back
    }
    const changes = this.pending.get(event.queryRunner);
    this.pending.delete(event.queryRunner);
    if (changes) {
      this.publisher.publishLater(changes);
    }
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) {
      this.pending.delete(event.queryRunner);
    }
  }

  private capture(queryRunner: QueryRunner, change: EntityChange | null): void {
    if (!change) {
      return;
    }
    if (!queryRunner.isTransactionActive) {
      // A single statement outside a transaction has already committed.
      this.publisher.publishLater([change]);
      return;
    }
    const changes = this.pending.get(queryRunner);
    if (changes) {
      changes.push(change);
    } else {
      this.pending.set(queryRunner, [change]);
    }
  }

  private toChange(entity: Tracked | undefined, kind: EntityChange['kind'], type: unknown): EntityChange | null {
    if (!entity) {
      return null;
    }
    const id = (entity as { id?: string }).id;
    if (!id) {
      return null; // e.g. an INSERT … ON CONFLICT DO NOTHING that inserted nothing
    }
    if (type === Message) {
      const message = entity as Message;
      return {
        entity: 'message',
        kind,
        id,
        roomId: message.roomId,
        parentId: message.parentId ?? null,
        isReaction: message.isReaction ?? false,
        body: message.body ?? '',
      };
    }
    if (type === MessageImage) {
      return { entity: 'image', kind, id, messageId: (entity as MessageImage).messageId };
    }
    if (type === RoomUser) {
      return { entity: 'room_user', kind, id };
    }
    if (type === Room) {
      return kind === 'remove' ? { entity: 'room', kind, id } : null;
    }
    if (type === UserChat) {
      const userChat = entity as UserChat;
      const userId = userChat.user?.id ?? userChat.userId;
      return userId ? { entity: 'user_chat', kind, id, userId } : null;
    }
    return null;
  }
}
