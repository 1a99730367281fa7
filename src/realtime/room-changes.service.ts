import { Injectable } from '@nestjs/common';
import { RoomAccessService } from '../access/room-access.service';
import type { AuthUser } from '../auth/auth-user';
import { AppError } from '../common/errors/app-error';
import type { RoomDto } from '../rooms/dto/room.dto';
import { RoomsService } from '../rooms/rooms.service';
import { ChangeLogRepository } from './change-log.repository';
import { canReplay } from './chat-changes';
import { ChangeEventsBuilder } from './change-events.builder';
import { ChangesPageDto } from './protocol';
import { changeFrameFor } from './server-frames';

export const DEFAULT_CHANGES_LIMIT = 100;
export const MAX_CHANGES_LIMIT = 500;

/** A room's change frames over REST: what a resume replays, for clients without a socket or to fill a gap. */
@Injectable()
export class RoomChangesService {
  constructor(
    private readonly access: RoomAccessService,
    private readonly log: ChangeLogRepository,
    private readonly builder: ChangeEventsBuilder,
    private readonly rooms: RoomsService,
  ) {}

  async changes(auth: AuthUser, roomId: string, since: number, limit: number, url: URL): Promise<ChangesPageDto> {
    await this.access.requireVisible(auth, roomId);
    const bounds = (await this.log.bounds([roomId])).get(roomId)!;
    if (!canReplay(bounds, since)) {
      throw new AppError(
        'history_expired',
        since > bounds.latest
          ? `This room has no change ${since} (its latest is ${bounds.latest}); reload it`
          : `Changes after ${since} are no longer kept; reload the room`,
      );
    }
    const entries = await this.log.after(roomId, since, limit);
    let rooms: Map<string, RoomDto> | undefined;
    const changes = [];
    for (const event of await this.builder.build(entries)) {
      if (event.roomChanged && !rooms) {
        rooms = await this.rooms.viewsFor([auth.id], roomId);
      }
      changes.push(changeFrameFor(event, auth.id, rooms));
    }
    const last = entries.at(-1)?.seq ?? since;
    let next: string | null = null;
    if (entries.length === limit && last < bounds.latest) {
      const nextUrl = new URL(url);
      nextUrl.searchParams.set('since', String(last));
      next = nextUrl.toString();
    }
    return { seq: Math.max(bounds.latest, last), changes, next };
  }
}
