import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { FileStorage } from '../common/storage/file-storage';
import { IMAGE_COLUMNS, ImageRow, ImageView, toImageView } from '../images/dto/image.dto';
import type { MessageView } from './dto/message.dto';

export interface MessageRow {
  id: string;
  created: Date;
  modified: Date;
  room_id: string;
  room_user_id: string;
  user_id: string | null;
  body: string;
  parent_id: string | null;
  is_reaction: boolean;
}

export const MESSAGE_COLUMNS =
  'm.id, m.created, m.modified, m.room_id, m.room_user_id, m.user_id, m.body, m.parent_id, m.is_reaction';

/**
 * Reads messages with their reactions and images in a fixed number of queries, however many
 * messages are asked for: the same views feed REST, the websocket and the pages.
 */
@Injectable()
export class MessageViewsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storage: FileStorage,
  ) {}

  /** Views of the messages with these ids, in the order given; missing ids are skipped. */
  async byIds(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<MessageView[]> {
    if (ids.length === 0) {
      return [];
    }
    const rows = await manager.query<MessageRow[]>(`SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.id = ANY($1)`, [
      ids,
    ]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    const ordered = ids.map((id) => byId.get(id)).filter((row): row is MessageRow => row !== undefined);
    return this.assemble(ordered, manager);
  }

  /** Adds reactions and images to message rows already read. */
  async assemble(rows: MessageRow[], manager: EntityManager = this.dataSource.manager): Promise<MessageView[]> {
    if (rows.length === 0) {
      return [];
    }
    const ids = rows.map((row) => row.id);
    const reactions = await manager.query<MessageRow[]>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.parent_id = ANY($1) AND m.is_reaction ORDER BY m.created, m.id`,
      [ids],
    );
    const images = await manager.query<ImageRow[]>(
      `SELECT ${IMAGE_COLUMNS}
         FROM message_images i JOIN messages m ON m.id = i.message_id
        WHERE i.message_id = ANY($1) ORDER BY i.created, i.id`,
      [[...ids, ...reactions.map((reaction) => reaction.id)]],
    );
    const imagesOf = groupBy(
      images.map((row) => toImageView(row, this.storage.url(row.storage_key))),
      (image) => image.messageId,
    );
    const reactionsOf = groupBy(
      reactions.map((row) => toView(row, imagesOf.get(row.id) ?? [], [])),
      (reaction) => reaction.parentId!,
    );
    return rows.map((row) => toView(row, imagesOf.get(row.id) ?? [], reactionsOf.get(row.id) ?? []));
  }

  /** Which of these messages (and their reactions) the user has seen. */
  async seenBy(userId: string, views: MessageView[]): Promise<Set<string>> {
    const ids = views.flatMap((view) => [view.id, ...view.reactions.map((reaction) => reaction.id)]);
    if (ids.length === 0) {
      return new Set();
    }
    const rows = await this.dataSource.query<{ message_id: string }[]>(
      'SELECT message_id FROM message_seen_by WHERE user_id = $1 AND message_id = ANY($2)',
      [userId, ids],
    );
    return new Set(rows.map((row) => row.message_id));
  }
}

function toView(row: MessageRow, images: ImageView[], reactions: MessageView[]): MessageView {
  return {
    id: row.id,
    created: row.created,
    modified: row.modified,
    roomId: row.room_id,
    roomUserId: row.room_user_id,
    userId: row.user_id,
    body: row.body,
    parentId: row.parent_id,
    isReaction: row.is_reaction,
    images,
    reactions,
  };
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) {
      group.push(item);
    } else {
      groups.set(key(item), [item]);
    }
  }
  return groups;
}
