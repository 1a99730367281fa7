import { Inject, Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { RoomAccessService } from '../access/room-access.service';
import type { AuthUser } from '../auth/auth-user';
import { APP_CONFIG, AppConfig } from '../common/config/config';
import { KeyedBatcher } from '../common/database/keyed-batcher';
import { AppError, invalid } from '../common/errors/app-error';
import { toErrorResponse } from '../common/errors/http-exception.filter';
import { RateLimitsService } from '../common/limits/rate-limits.service';
import { isId } from '../common/validation/decorators';
import { flattenValidationErrors } from '../common/validation/validation.pipe';
import { MessagesService } from '../messages/messages.service';
import { RoomsService } from '../rooms/rooms.service';
import { runAsAction } from './action-origin';
import { ChangeLogRepository } from './change-log.repository';
import { canReplay, ChangeEntry, LogBounds } from './chat-changes';
import { ChangeEventsBuilder } from './change-events.builder';
import { EventBus } from './event-bus';
import {
  ACTION_PAYLOADS,
  ACTIONS,
  ActionName,
  AckFrame,
  ErrorFrame,
  MAX_RESUME_ROOMS,
  REF_PATTERN,
  ResumeActionDto,
  SeenActionDto,
  SendActionDto,
  TypingActionDto,
} from './protocol';
import { ReplayCache } from './replay-cache';
import { EventFrames } from './server-frames';
import type { RoomDto } from '../rooms/dto/room.dto';

/** A room's changes replayed to one resuming client at most; a longer gap is left to a reload (`resync`). */
export const MAX_REPLAY = 2000;
/** Replayed changes read from the log at once. */
const REPLAY_PAGE = 500;
/** A user's typing is broadcast at most once per room every this long. */
export const TYPING_INTERVAL_MS = 2000;

/** What the actions need of the connection they came on. */
export interface ActionConnection {
  readonly id: string;
  readonly user: AuthUser;
  send(frame: object): void;
  /** Holds back live change frames until `endReplay`, which sends those the replay did not cover. */
  startReplay(): void;
  /** The client applied the room's changes up to `since` only: those after it are to be sent again. */
  rewind(roomId: string, since: number): void;
  /** Sends a replayed change frame (serialised), which counts as delivered for its room's `seq`. */
  sendReplayed(roomId: string, seq: number, frame: Buffer): void;
  endReplay(): void;
}

/**
 * Client actions on the websocket: each is parsed, validated with the rules of the REST request it
 * mirrors, run by the same services and permission checks, and answered with an ack or an error frame
 * with the REST error codes. A bad frame never closes the connection.
 */
@Injectable()
export class SocketActions {
  private readonly typingSent = new Map<string, number>();
  private readonly replays: ReplayCache;
  /**
   * The log bounds of resumed rooms, and each room's entries to replay, read together while a read
   * runs: a thousand members resuming at once cost a few statements, not a thousand of each.
   */
  private readonly boundsReads = new KeyedBatcher<'bounds', string[], Map<string, LogBounds>>(async (_key, asks) => {
    const bounds = await this.log.bounds([...new Set(asks.flat())]);
    return asks.map(() => bounds);
  });
  private readonly entryReads = new KeyedBatcher<string, { after: number; upTo: number }, ChangeEntry[]>(
    async (roomId, asks) => {
      // One read of the span all of them cover; seqs have no gaps, so each takes its part by seq.
      const from = Math.min(...asks.map((ask) => ask.after));
      const entries = await this.log.after(roomId, from, Math.max(...asks.map((ask) => ask.upTo)) - from);
      return asks.map(({ after, upTo }) => entries.filter((entry) => entry.seq > after && entry.seq <= upTo));
    },
  );

  constructor(
    private readonly messages: MessagesService,
    private readonly access: RoomAccessService,
    private readonly rooms: RoomsService,
    private readonly limits: RateLimitsService,
    private readonly log: ChangeLogRepository,
    private readonly builder: ChangeEventsBuilder,
    private readonly bus: EventBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.replays = new ReplayCache((entries) => this.builder.build(entries));
  }

  /** A change's frames as pushed live here, kept a few seconds for the resumes that follow. */
  delivered(frames: EventFrames): void {
    this.replays.remember(frames);
  }

  /** Handles one client frame; resolves once it is answered. */
  async handle(connection: ActionConnection, data: string): Promise<void> {
    let ref: string | null = null;
    try {
      const frame = parseFrame(data);
      ref = typeof frame.ref === 'string' && REF_PATTERN.test(frame.ref) ? frame.ref : null;
      if (ref === null) {
        throw invalid('ref', 'ref must be 1 to 64 printable ASCII characters');
      }
      if (typeof frame.action !== 'string' || !(ACTIONS as readonly string[]).includes(frame.action)) {
        throw invalid('action', `action must be one of ${ACTIONS.join(', ')}`);
      }
      const action = frame.action as ActionName;
      const payload = await validPayload(action, frame);
      const result = await runAsAction(connection.id, () => this.run(connection, action, payload));
      connection.send({ ack: ref, ...result } satisfies AckFrame);
    } catch (error) {
      const { entries } = toErrorResponse(error);
      const [first] = entries;
      const body: ErrorFrame['error'] = { ref, code: first.code, message: first.message };
      if (first.field !== undefined) {
        body.field = first.field;
      }
      connection.send({ error: body } satisfies ErrorFrame);
    }
  }

  private async run(connection: ActionConnection, action: ActionName, payload: object): Promise<Omit<AckFrame, 'ack'>> {
    const auth = connection.user;
    switch (action) {
      case 'send': {
        const { room_id, ...dto } = payload as SendActionDto;
        await this.limits.consume('messages', auth.id);
        return { message: (await this.messages.send(auth, room_id, dto)).message };
      }
      case 'seen': {
        const { room_id, ...dto } = payload as SeenActionDto;
        return { message_ids: (await this.messages.seen(auth, room_id, dto)).message_ids };
      }
      case 'typing':
        await this.typing(auth, (payload as TypingActionDto).room_id);
        return {};
      case 'resume':
        return { resync: await this.resume(connection, (payload as ResumeActionDto).rooms) };
      case 'ping':
        return {};
    }
  }

  private async typing(auth: AuthUser, roomId: string): Promise<void> {
    await this.access.requireVisible(auth, roomId);
    const key = `${auth.id}/${roomId}`;
    const now = Date.now();
    if (now - (this.typingSent.get(key) ?? 0) < TYPING_INTERVAL_MS) {
      return;
    }
    this.typingSent.set(key, now);
    if (this.typingSent.size > 10_000) {
      for (const [old, at] of this.typingSent) {
        if (now - at >= TYPING_INTERVAL_MS) {
          this.typingSent.delete(old);
        }
      }
    }
    await this.bus.publish({ type: 'typing', roomId, userId: auth.id, name: auth.firstName || auth.username });
  }

  /**
   * Replays, per named room the user can still see, every change after the client's seq, then lets the
   * live frames held back meanwhile through (those the replay covered are dropped). Answers the rooms
   * the client has to reload: not visible, or a gap older than the log keeps.
   */
  private async resume(connection: ActionConnection, named: Record<string, unknown>): Promise<string[]> {
    const wanted = parseResumeRooms(named);
    connection.startReplay();
    try {
      const ids = [...wanted.keys()];
      // Together: the bounds of a room the user cannot see are read but not used.
      const [visible, bounds] = await Promise.all([
        this.access.visibleRoomIds(connection.user, ids),
        this.boundsReads.submit('bounds', ids),
      ]);
      const resync: string[] = [];
      for (const roomId of ids) {
        const since = wanted.get(roomId)!;
        const roomBounds = visible.has(roomId) ? bounds.get(roomId) : undefined;
        if (!roomBounds || !canReplay(roomBounds, since) || roomBounds.latest - since > MAX_REPLAY) {
          resync.push(roomId);
          continue;
        }
        // Also what this connection was sent already: a client that saw a gap did not get all of it.
        connection.rewind(roomId, since);
        await this.replay(connection, roomId, since, roomBounds.latest);
      }
      return resync;
    } finally {
      connection.endReplay();
    }
  }

  private async replay(connection: ActionConnection, roomId: string, since: number, latest: number): Promise<void> {
    const userId = connection.user.id;
    let roomViews: Map<string, RoomDto> | undefined;
    for (let after = since; after < latest;) {
      const upTo = Math.min(after + REPLAY_PAGE, latest);
      // Changes pushed or replayed here in the last seconds are kept built: a crowd resuming together
      // reads the log for what none of them was sent, if anything.
      const cached = this.replays.cachedRun(roomId, after, upTo);
      let built: EventFrames[];
      if (cached.seqs > 0) {
        built = await cached.frames;
        after += cached.seqs;
      } else {
        const entries = await this.entryReads.submit(roomId, { after, upTo });
        if (entries.length === 0) {
          break;
        }
        built = await this.replays.framesOf(entries);
        after = entries[entries.length - 1].seq;
      }
      for (const frames of built) {
        const { event } = frames;
        if (event.type !== 'change') {
          continue;
        }
        if (event.roomChanged) {
          // The room as this member sees it now: read for them, not shared.
          roomViews ??= await this.rooms.viewsFor([userId], roomId);
          connection.sendReplayed(roomId, event.seq, new EventFrames(event, roomViews).frameFor(userId));
        } else {
          connection.sendReplayed(roomId, event.seq, frames.frameFor(userId));
        }
      }
    }
  }
}

function parseFrame(data: string): Record<string, unknown> {
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    throw new AppError('invalid', 'The frame is not valid JSON');
  }
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
    throw new AppError('invalid', 'A frame is a JSON object with an action and a ref');
  }
  return frame as Record<string, unknown>;
}

/** The action's fields, validated like the REST request it mirrors; every fault is `invalid` here. */
async function validPayload(action: ActionName, frame: Record<string, unknown>): Promise<object> {
  const fields = { ...frame };
  delete fields.action;
  delete fields.ref;
  const payload = plainToInstance<object, object>(ACTION_PAYLOADS[action], fields);
  // `forbidUnknownValues` off: `ping` has no fields, and a class with none would count as unknown.
  const errors = await validate(payload, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: false,
    stopAtFirstError: true,
  });
  const [fault] = flattenValidationErrors(errors);
  if (fault) {
    throw invalid(fault.field ?? '', fault.message);
  }
  return payload;
}

/** `rooms` of a resume: at most MAX_RESUME_ROOMS room ids, each with a seq (a whole number, 0 or more). */
function parseResumeRooms(rooms: Record<string, unknown>): Map<string, number> {
  const entries = Object.entries(rooms);
  if (entries.length > MAX_RESUME_ROOMS) {
    throw invalid('rooms', `rooms may name at most ${MAX_RESUME_ROOMS} rooms`);
  }
  const parsed = new Map<string, number>();
  for (const [roomId, seq] of entries) {
    if (!isId(roomId)) {
      throw invalid('rooms', `${String(roomId).slice(0, 64)} is not a room id`);
    }
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
      throw invalid(`rooms.${roomId}`, 'a seq is a whole number, 0 or more');
    }
    parsed.set(roomId.toLowerCase(), seq);
  }
  return parsed;
}
