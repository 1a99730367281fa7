import { Injectable } from '@nestjs/common';
import { RoomAccessService } from '../access/room-access.service';
import { MessageView } from '../messages/dto/message.dto';
import { MessagesService } from '../messages/messages.service';
import { RoomUsersService } from '../room-users/room-users.service';
import type { ChangeEntry } from './chat-changes';
import { ChangeEvent, PushedMessage } from './chat-events';

/**
 * Makes the change events of change-log entries: live (where the change was written), replayed to a
 * resuming client, or read over REST. What a frame shows is read now, in a few statements for any number
 * of entries; a new message written here is taken as stored (`created`), not read back.
 */
@Injectable()
export class ChangeEventsBuilder {
  constructor(
    private readonly messages: MessagesService,
    private readonly roomUsers: RoomUsersService,
    private readonly access: RoomAccessService,
  ) {}

  async build(entries: ChangeEntry[], created: ReadonlyMap<string, MessageView> = new Map()): Promise<ChangeEvent[]> {
    const toRead = new Set<string>();
    const roomUserIds = new Set<string>();
    for (const entry of entries) {
      if (entry.kind === 'message_updated' || entry.kind === 'reaction_changed') {
        toRead.add(entry.entityId);
      } else if (entry.kind === 'message_created' && !created.has(entry.entityId)) {
        toRead.add(entry.entityId);
      } else if (entry.kind === 'room_user') {
        roomUserIds.add(entry.entityId);
      }
    }
    const read = (await this.messages.loadViews([...toRead])).filter((view) => !view.isReaction);
    const views = new Map<string, MessageView>(read.map((view) => [view.id, view]));
    // A new message is seen by its author alone; what else was read is asked of the seen marks.
    const seenBy =
      read.length > 0
        ? await this.messages.seenBy(read.flatMap((view) => [view.id, ...view.reactions.map((r) => r.id)]))
        : new Map<string, string[]>();
    const roomUsers = new Map(
      (await this.roomUsers.loadViewsByIds([...roomUserIds])).map((view) => [view.id, view] as const),
    );
    const pushed = (view: MessageView, isNew: boolean): PushedMessage => {
      const ids = [view.id, ...view.reactions.map((reaction) => reaction.id)];
      return {
        view,
        seenBy: Object.fromEntries(
          ids.map((id) => [id, isNew ? (view.userId ? [view.userId] : []) : (seenBy.get(id) ?? [])]),
        ),
      };
    };
    const events: ChangeEvent[] = [];
    for (const entry of entries) {
      const event: ChangeEvent = {
        type: 'change',
        roomId: entry.roomId,
        seq: entry.seq,
        messages: [],
        roomUsers: [],
        deletedMessageIds: [],
        roomChanged: false,
        deletedRoom: false,
        lostAccess: [],
      };
      switch (entry.kind) {
        case 'message_created':
        case 'message_updated':
        case 'reaction_changed': {
          const isNew = entry.kind === 'message_created' && created.has(entry.entityId);
          const view = isNew ? created.get(entry.entityId) : views.get(entry.entityId);
          if (!view) {
            event.deletedMessageIds.push(entry.entityId); // gone since: the frame says so
          } else if (view.body !== '' || view.images.length > 0) {
            event.messages.push(pushed(view, isNew));
          }
          break;
        }
        case 'message_deleted':
          event.deletedMessageIds.push(entry.entityId);
          break;
        case 'room_user': {
          const view = roomUsers.get(entry.entityId);
          if (view) {
            event.roomUsers.push(view);
            if (!view.isActive && view.userId) {
              const stillSees = await this.access.find({ id: view.userId }, entry.roomId);
              if (!stillSees) {
                event.lostAccess.push(view.userId);
              }
            }
          }
          break;
        }
        case 'room_updated':
          event.roomChanged = true;
          break;
        case 'room_deleted':
          event.deletedRoom = true;
          break;
      }
      events.push(event);
    }
    return events;
  }
}
