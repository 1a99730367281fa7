import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { FileStorage } from '../common/storage/file-storage';
import { ImageRow, ImageView, toImageView } from '../images/dto/image.dto';
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

/** A reaction as the view columns give it: JSON, so its timestamps are ISO strings. */
interface ReactionJson extends Omit<MessageRow, 'created' | 'modified'> {
  created: string;
  modified: string;
  is_seen: boolean;
  images: ImageRow[];
}

/** A row read with `messageViewColumns`: the message, its reactions and images, and what the viewer has seen. */
export interface MessageViewRow extends MessageRow {
  is_seen: boolean;
  reactions: ReactionJson[];
  images: ImageRow[];
}

/** A `MessageViewRow` read as JSON (e.g. nested in another row with `row_to_json`): timestamps are ISO strings. */
export type MessageViewJson = Omit<MessageViewRow, 'created' | 'modified'> & { created: string; modified: string };

/** Views as one viewer reads them: the views, and the ids (of messages and reactions) the viewer has seen. */
export interface ViewsForViewer {
  views: MessageView[];
  seen: Set<string>;
}

/** The images of message alias `alias`, oldest first, as a JSON array of `ImageRow`s. */
const imagesOf = (alias: string) =>
  `COALESCE((SELECT json_agg(json_build_object(
       'id', i.id, 'message_id', i.message_id, 'room_id', ${alias}.room_id, 'storage_key', i.storage_key,
       'width', i.width, 'height', i.height, 'name', i.name, 'size', i.size) ORDER BY i.created, i.id)
     FROM message_images i WHERE i.message_id = ${alias}.id), '[]'::json)`;

/** Whether the viewer (SQL parameter `viewer`, NULL for nobody) has seen message alias `alias`. */
const seenBy = (alias: string, viewer: string) =>
  `EXISTS (SELECT 1 FROM message_seen_by s WHERE s.message_id = ${alias}.id AND s.user_id = ${viewer})`;

/**
 * The select list of a message view (messages as `m`), for the viewer in SQL parameter `viewer`: the
 * message, its reactions (oldest first) with their images, its images, and whether the viewer has seen
 * each. One statement reads a whole page of views, however many messages, reactions and images.
 */
export function messageViewColumns(viewer: string): string {
  return `${MESSAGE_COLUMNS}, ${seenBy('m', viewer)} AS is_seen, ${imagesOf('m')} AS images,
    COALESCE((SELECT json_agg(json_build_object(
        'id', r.id, 'created', r.created, 'modified', r.modified, 'room_id', r.room_id,
        'room_user_id', r.room_user_id, 'user_id', r.user_id, 'body', r.body, 'parent_id', r.parent_id,
        'is_reaction', r.is_reaction, 'is_seen', ${seenBy('r', viewer)}, 'images', ${imagesOf('r')})
        ORDER BY r.created, r.id)
      FROM messages r WHERE r.parent_id = m.id AND r.is_reaction), '[]'::json) AS reactions`;
}

/**
 * Reads messages as views (with their reactions and images) in one statement, however many messages
 * are asked for: the same views feed REST, the websocket and the pages.
 */
@Injectable()
export class MessageViewsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storage: FileStorage,
  ) {}

  /** Views of the messages with these ids, in the order given, for a viewer (or none); missing ids are skipped. */
  async byIds(
    ids: string[],
    viewerId: string | null,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ViewsForViewer> {
    if (ids.length === 0) {
      return { views: [], seen: new Set() };
    }
    const rows = await manager.query<MessageViewRow[]>(
      `SELECT ${messageViewColumns('$2::uuid')} FROM messages m WHERE m.id = ANY($1)`,
      [ids, viewerId],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return this.fromRows(ids.map((id) => byId.get(id)).filter((row): row is MessageViewRow => row !== undefined));
  }

  /** Views from rows read with `messageViewColumns` and returned as JSON, in their order. */
  fromJson(rows: MessageViewJson[]): ViewsForViewer {
    return this.fromRows(rows.map(withDates));
  }

  /** Views from rows read with `messageViewColumns`, in their order. */
  fromRows(rows: MessageViewRow[]): ViewsForViewer {
    const seen = new Set<string>();
    const images = (list: ImageRow[]) => list.map((image) => toImageView(image, this.storage.url(image.storage_key)));
    const views = rows.map((row) => {
      if (row.is_seen) {
        seen.add(row.id);
      }
      const reactions = row.reactions.map((reaction) => {
        if (reaction.is_seen) {
          seen.add(reaction.id);
        }
        return toView(withDates(reaction), images(reaction.images), []);
      });
      return toView(row, images(row.images), reactions);
    });
    return { views, seen };
  }
}

function withDates<T extends { created: string; modified: string }>(
  row: T,
): Omit<T, 'created' | 'modified'> & { created: Date; modified: Date } {
  return { ...row, created: new Date(row.created), modified: new Date(row.modified) };
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
