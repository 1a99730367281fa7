import { Inject, Logger, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { HttpAdapterHost } from '@nestjs/core';
import { OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Server as HttpServer } from 'node:http';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import type { AuthUser } from '../auth/auth-user';
import { AuthService, TokenSession } from '../auth/auth.service';
import { APP_CONFIG, AppConfig } from '../common/config/config';
import { KeyedBatcher } from '../common/database/keyed-batcher';
import { isDatabaseUnavailable } from '../common/database/postgres-errors';
import { RateLimitsService } from '../common/limits/rate-limits.service';
import { RoomUsersService } from '../room-users/room-users.service';
import { RoomsService } from '../rooms/rooms.service';
import { PresenceService } from '../user-chat/presence.service';
import { ChangeEventsBuilder } from './change-events.builder';
import { ChangeLogRepository } from './change-log.repository';
import type { ChangeEvent, ChatEvent } from './chat-events';
import { ConnectionRegistry } from './connection-registry';
import { EventBus } from './event-bus';
import { CLOSE_CODES, MAX_CLIENT_FRAME_BYTES, TypingFrame } from './protocol';
import { RoomStreams } from './room-streams';
import { EventFrames, RoomViews, seenFrame } from './server-frames';
import { SocketActions } from './socket-actions';
import { SocketTokenWatch, TokenEnd } from './socket-token-watch';
import { TypingRooms } from './typing-rooms';

export const WS_PATH = '/api/v1/chat/ws';

const GOING_AWAY = CLOSE_CODES.goingAway;
const POLICY_VIOLATION = CLOSE_CODES.policy;
export const TOKEN_ENDED = CLOSE_CODES.tokenEnded;

const authenticatedUser = Symbol('authenticatedUser');
type AuthenticatedRequest = IncomingMessage & { [authenticatedUser]?: TokenSession };

/** A live change frame held back while the connection replays (`seq` null: not a change frame). */
interface HeldFrame {
  roomId: string | null;
  seq: number | null;
  frame: Buffer;
}

/**
 * `countedFor`: the user whose connection limit this connection counts against. `seqs`: per room, the
 * latest seq sent (a frame at or below it is not sent again). `held`: live frames held back while a
 * resume replays, or until the first client frame shows whether one comes.
 */
type Connection = WebSocket & {
  isAlive?: boolean;
  heartbeatSlice?: number;
  countedFor?: string;
  /** Counted in the presence store (across instances), so its close is counted out there. */
  presenceCounted?: boolean;
  id: string;
  user?: AuthUser;
  seqs: Map<string, number>;
  held: HeldFrame[] | null;
  holdTimer?: NodeJS.Timeout;
  /** No client frame received yet (the first may be a resume). */
  awaitingFirstFrame?: boolean;
  /** Resumes replaying now: held frames wait for the last to end. */
  replaying?: number;
  /** Resolves once the connection is in its rooms. */
  ready: Promise<void>;
  /** The client frames being checked against the connection's budget, in order. */
  frames?: Promise<void>;
  /** Its socket holds writes back until the end of this event-loop turn (`writeTogether`). */
  corked?: boolean;
};

/** Sockets holding their writes back until the end of this event-loop turn (`writeTogether`). */
const corkedThisTurn: { connection: Connection; socket: Duplex }[] = [];

/**
 * Holds the connection's writes back until the end of this event-loop turn, so that the frames it gets in
 * one turn (a replay, or live changes that arrived together) leave in one system call instead of one each:
 * on loopback and under load, the per-write cost is most of the CPU of a fan-out.
 */
function writeTogether(connection: Connection): void {
  // `ws` keeps its socket as `_socket`; it corks each frame's header and payload the same way.
  const socket = (connection as unknown as { _socket?: Duplex })._socket;
  if (!socket || connection.corked) {
    return;
  }
  connection.corked = true;
  socket.cork();
  // After the I/O callbacks and promise jobs of this turn: a replay's frames are sent from one.
  if (corkedThisTurn.push({ connection, socket }) === 1) {
    setImmediate(uncorkAll);
  }
}

function uncorkAll(): void {
  for (const { connection, socket } of corkedThisTurn.splice(0)) {
    connection.corked = false;
    socket.uncork();
  }
}

/**
 * The upgrade's token: from an `Authorization: Bearer` header (clients that can set headers), else the
 * `token` query parameter (browsers cannot). A header that is there but malformed is refused, not skipped.
 */
function upgradeToken(request: IncomingMessage): string | null {
  const header = request.headers.authorization;
  if (header !== undefined) {
    return /^Bearer +([^\s]+) *$/i.exec(header)?.[1] ?? null;
  }
  return new URL(request.url ?? '', 'http://localhost').searchParams.get('token');
}

/**
 * Each connection is pinged once per WS_HEARTBEAT_MS, but in one of this many slices of that interval:
 * pinging every socket in one go wrote to all of them at once, holding the event loop (and the frames
 * of messages being pushed) for tens of milliseconds per thousand connections.
 */
export const HEARTBEAT_SLICES = 30;

/** How long a connection's set-up waits for its rooms' subscriptions (Redis away: it goes on without). */
const SUBSCRIBE_WAIT_MS = 2000;

/**
 * Authenticates websocket upgrades, keeps this instance's connections, and delivers each event to
 * the connected members of its room only. Nothing is accepted without a valid token.
 */
@WebSocketGateway({ path: WS_PATH, maxPayload: MAX_CLIENT_FRAME_BYTES })
export class ChatGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly logger = new Logger('ChatGateway');
  private readonly registry: ConnectionRegistry<Connection>;
  private heartbeat: NodeJS.Timeout | undefined;
  private heartbeatTick = 0;
  private connectionCount = 0;
  private membershipRecheck: NodeJS.Timeout | undefined;
  private recheckRunning = false;
  private stopping = false;
  /** Every upgraded socket, also those still being set up (not yet in the registry). */
  private server: WebSocketServer | undefined;
  /** Closes a socket with 4401 when its token expires, and within WS_TOKEN_RECHECK_MS of its revocation. */
  private readonly tokens: SocketTokenWatch<Connection>;
  private readonly streams: RoomStreams;
  /** The rooms of users whose connections are being set up, read together (a crowd reconnecting at once). */
  private readonly connectingRooms = new KeyedBatcher<'rooms', string, string[]>(async (_key, userIds) => {
    const rooms = await this.roomUsers.roomIdsOfUsers([...new Set(userIds)]);
    return userIds.map((userId) => rooms.get(userId) ?? []);
  });
  private readonly typing: TypingRooms;

  constructor(
    private readonly auth: AuthService,
    private readonly roomUsers: RoomUsersService,
    private readonly rooms: RoomsService,
    private readonly presence: PresenceService,
    private readonly bus: EventBus,
    private readonly httpAdapterHost: HttpAdapterHost,
    private readonly limits: RateLimitsService,
    private readonly actions: SocketActions,
    private readonly log: ChangeLogRepository,
    private readonly builder: ChangeEventsBuilder,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.registry = new ConnectionRegistry<Connection>(this.bus);
    this.streams = new RoomStreams({
      watched: (roomId) => this.registry.hasRoom(roomId),
      fill: async (roomId, after, upTo) => {
        this.logger.debug(`filling a gap from the change log: room=${roomId} after=${after} up to=${upTo}`);
        return this.builder.build(await this.log.after(roomId, after, upTo - after));
      },
      deliver: (event) => this.deliverChange(event),
      onError: (error) => this.logger.warn(`delivering a change failed: ${String(error)}`),
    });
    this.typing = new TypingRooms((roomId, typists, concerning) => this.sendTyping(roomId, typists, concerning));
    this.tokens = new SocketTokenWatch<Connection>({
      readVersions: (userIds) => this.auth.tokenVersions(userIds),
      end: (connection, why) => this.endSession(connection, why),
      recheckMs: this.config.ws.tokenRecheckMs,
      onError: (error) => this.logger.warn(`token recheck failed: ${String(error)}`),
    });
  }

  afterInit(server: WebSocketServer): void {
    this.server = server;
    // `/api/v1/chat/ws/` and `/api/v1/chat/ws` are the same endpoint, like every other route.
    const httpServer = this.httpAdapterHost.httpAdapter.getHttpServer() as HttpServer;
    httpServer.prependListener('upgrade', (request: IncomingMessage) => {
      request.url = request.url?.replace(/^(\/api\/v1\/chat\/ws)\/+(?=\?|$)/, '$1');
    });
    server.options.verifyClient = (info, accept) => {
      const token = upgradeToken(info.req);
      if (!token || this.stopping) {
        accept(false, this.stopping ? 503 : 401, this.stopping ? 'Shutting down' : 'Unauthorized');
        return;
      }
      void this.auth.verifySession(token).then(
        (session) => {
          if (!session) {
            accept(false, 401, 'Unauthorized');
            return;
          }
          if (this.stopping) {
            accept(false, 503, 'Shutting down');
            return;
          }
          (info.req as AuthenticatedRequest)[authenticatedUser] = session;
          accept(true);
        },
        (error: unknown) =>
          isDatabaseUnavailable(error) ? accept(false, 503, 'Service Unavailable') : accept(false, 401, 'Unauthorized'),
      );
    };
    this.bus.onEvent((event) => this.deliver(event));
    this.heartbeat = setInterval(() => this.checkHeartbeats(), this.config.ws.heartbeatMs / HEARTBEAT_SLICES);
    this.heartbeat.unref();
    this.membershipRecheck = setInterval(() => void this.recheckMemberships(), this.config.ws.membershipRecheckMs);
    this.membershipRecheck.unref();
    this.tokens.start();
  }

  async handleConnection(connection: Connection, request: AuthenticatedRequest): Promise<void> {
    const session = request[authenticatedUser];
    if (!session) {
      connection.close(POLICY_VIOLATION, 'Unauthorized');
      return;
    }
    const { user } = session;
    // Per instance at once (and the only limit while Redis is away), across instances below.
    if (!this.limits.connectionOpened(user.id)) {
      connection.close(POLICY_VIOLATION, 'Too many connections');
      return;
    }
    connection.countedFor = user.id;
    connection.id = randomUUID();
    connection.user = user;
    connection.seqs = new Map();
    // Live changes wait for a resume that a reconnecting client sends first, so that its replay comes
    // before them; a client that sends none gets them once set up and after the grace.
    connection.held = [];
    connection.awaitingFirstFrame = true;
    let setUpDone!: () => void;
    // Client frames wait for the set-up: a resume must not read the log before the connection is in its rooms.
    connection.ready = new Promise<void>((resolve) => (setUpDone = resolve));
    connection.on('message', (data: RawData, isBinary: boolean) => this.onClientFrame(connection, data, isBinary));
    this.tokens.watch(connection, {
      userId: user.id,
      tokenVersion: session.tokenVersion,
      expiresAt: session.expiresAt,
    });
    connection.isAlive = true;
    connection.heartbeatSlice = this.connectionCount++ % HEARTBEAT_SLICES;
    connection.on('pong', () => {
      connection.isAlive = true;
    });
    const admission = await this.presence.admit(user.id);
    if (admission === 'refused') {
      connection.close(POLICY_VIOLATION, 'Too many connections');
      return;
    }
    if (connection.readyState !== connection.OPEN) {
      // Closed while being counted: handleDisconnect has run and found nothing to release.
      await this.presence
        .connectionClosed(user.id, admission === 'counted')
        .catch((error: unknown) => this.logger.warn(`presence: ${String(error)}`));
      return;
    }
    connection.presenceCounted = admission === 'counted';
    this.registry.add(user.id, connection);
    const read = this.registry.startReading([user.id]).get(user.id)!;
    let setUp = true;
    try {
      this.registry.setRooms(user.id, await this.connectingRooms.submit('rooms', user.id), read);
    } catch (error) {
      this.logger.error(`connection set-up failed: ${String(error)}`);
      setUp = false;
    }
    // Its rooms' events reach this instance before the connection counts as set up (typing and presence
    // frames published meanwhile would be lost; changes would be replayed).
    await this.bus.settled(SUBSCRIBE_WAIT_MS);
    if (connection.awaitingFirstFrame && connection.held) {
      // Deferred past the I/O of the loop turn the timer fires in, so that a resume already received
      // while the process was busy counts as first (its arrival is what ends the wait).
      connection.holdTimer = setTimeout(
        () => setImmediate(() => connection.awaitingFirstFrame && this.release(connection)),
        this.config.ws.resumeGraceMs,
      );
    }
    setUpDone();
    if (setUp) {
      await this.presence
        .connectionOpened(user.id)
        .catch((error: unknown) => this.logger.warn(`presence: ${String(error)}`));
    } else {
      connection.close(1011, 'Server error');
    }
  }

  async handleDisconnect(connection: Connection): Promise<void> {
    this.tokens.forget(connection);
    clearTimeout(connection.holdTimer);
    connection.held = null;
    if (connection.countedFor !== undefined) {
      this.limits.connectionClosed(connection.countedFor);
      connection.countedFor = undefined;
    }
    const removed = this.registry.remove(connection);
    if (removed && !this.stopping) {
      await this.presence
        .connectionClosed(removed.userId, connection.presenceCounted === true)
        .catch((error: unknown) => this.logger.warn(`presence: ${String(error)}`));
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearInterval(this.heartbeat);
    clearInterval(this.membershipRecheck);
    this.tokens.stop();
    this.typing.stop();
    const users = this.registry.userIds();
    // The server's sockets, not the registry's: one still being set up is told to come back too.
    const closed = [...((this.server?.clients ?? []) as Set<Connection>)].map(
      (connection) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            connection.terminate();
            resolve();
          }, 1000);
          connection.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          connection.close(GOING_AWAY, 'Server shutting down');
        }),
    );
    await Promise.all(closed);
    await this.presence.stop(users);
  }

  /** A socket whose token expired or was revoked gets nothing more: closed with 4401. */
  private endSession(connection: Connection, why: TokenEnd): void {
    this.logger.debug(`closing a websocket whose token ${why === 'expired' ? 'expired' : 'was revoked'}`);
    connection.close(TOKEN_ENDED, why === 'expired' ? 'Token expired' : 'Token revoked');
  }

  /** Delivers an event to the connected members of its room (change events in seq order, through the room's stream). */
  private deliver(event: ChatEvent): void {
    switch (event.type) {
      case 'change':
        // Added members start receiving with this very frame.
        for (const roomUser of event.roomUsers) {
          if (roomUser.userId && roomUser.isActive) {
            this.registry.join(roomUser.userId, event.roomId);
          }
        }
        this.streams.accept(event);
        return;
      case 'presence':
        if (this.registry.hasRoom(event.roomId)) {
          const frames = new EventFrames(event);
          for (const [userId, connections] of this.registry.recipients(event.roomId)) {
            this.sendAll(connections, frames.frameFor(userId), null, null);
          }
        }
        return;
      case 'typing':
        if (this.registry.hasRoom(event.roomId)) {
          this.typing.typed(event.roomId, event.userId, event.name);
        }
        return;
      case 'seen': {
        const frame = Buffer.from(JSON.stringify(seenFrame(event)));
        for (const connection of this.registry.connectionsOf(event.userId)) {
          if (connection.id !== event.origin) {
            this.sendFrame(connection, frame, null, null);
          }
        }
        return;
      }
    }
  }

  private async deliverChange(event: ChangeEvent): Promise<void> {
    if (!this.registry.hasRoom(event.roomId)) {
      return;
    }
    let rooms: RoomViews | undefined;
    if (event.roomChanged) {
      rooms = await this.rooms.viewsFor(
        [...this.registry.recipients(event.roomId)].map(([userId]) => userId),
        event.roomId,
      );
    }
    const frames = new EventFrames(event, rooms);
    this.actions.delivered(frames);
    let recipients = 0;
    for (const [userId, connections] of this.registry.recipients(event.roomId)) {
      recipients += this.sendAll(connections, frames.frameFor(userId), event.roomId, event.seq);
    }
    this.logger.debug(
      `delivered change room=${event.roomId} seq=${event.seq} connections=${recipients} frames=${frames.serialisedCount}`,
    );
    // Removed members get the frame telling them so, then nothing more.
    for (const roomUser of event.roomUsers) {
      if (roomUser.userId && !roomUser.isActive) {
        this.registry.leave(roomUser.userId, event.roomId);
      }
    }
    for (const userId of event.lostAccess) {
      this.registry.leave(userId, event.roomId);
    }
    if (event.deletedRoom) {
      this.registry.dropRoom(event.roomId);
    }
  }

  /** The room's typing list to its connected members but the one it concerns, each without themselves. */
  private sendTyping(roomId: string, typists: TypingFrame['typing'], concerning: string): void {
    const frames = new Map<string, Buffer>();
    for (const [userId, connections] of this.registry.recipients(roomId)) {
      if (userId === concerning) {
        continue;
      }
      const others = typists.filter((typist) => typist.user_id !== userId);
      const key = others.length === typists.length ? '' : userId;
      let frame = frames.get(key);
      if (!frame) {
        frame = Buffer.from(JSON.stringify({ room_id: roomId, typing: others } satisfies TypingFrame));
        frames.set(key, frame);
      }
      this.sendAll(connections, frame, null, null);
    }
  }

  private sendAll(
    connections: ReadonlySet<Connection>,
    frame: Buffer,
    roomId: string | null,
    seq: number | null,
  ): number {
    for (const connection of connections) {
      this.sendFrame(connection, frame, roomId, seq);
    }
    return connections.size;
  }

  /** Sends a frame unless it is a change the connection has had already; holds it back during a replay. */
  private sendFrame(connection: Connection, frame: Buffer, roomId: string | null, seq: number | null): void {
    if (connection.held) {
      connection.held.push({ roomId, seq, frame });
      return;
    }
    if (roomId !== null && seq !== null) {
      if ((connection.seqs.get(roomId) ?? 0) >= seq) {
        return;
      }
      connection.seqs.set(roomId, seq);
    }
    this.send(connection, frame);
  }

  /** Ends holding back live frames: sends those held, but not changes a replay sent already. */
  private release(connection: Connection): void {
    clearTimeout(connection.holdTimer);
    connection.holdTimer = undefined;
    const held = connection.held;
    connection.held = null;
    for (const { roomId, seq, frame } of held ?? []) {
      this.sendFrame(connection, frame, roomId, seq);
    }
  }

  private onClientFrame(connection: Connection, data: RawData, isBinary: boolean): void {
    const text = isBinary
      ? ''
      : Buffer.isBuffer(data)
        ? data.toString('utf8')
        : Buffer.concat(data as Buffer[]).toString('utf8');
    let firstResume = false;
    if (connection.awaitingFirstFrame) {
      // Decided as the frame arrives, not when its turn comes after the set-up and the budget check:
      // the grace must not let live frames ahead of a resume that is already here.
      connection.awaitingFirstFrame = false;
      clearTimeout(connection.holdTimer);
      connection.holdTimer = undefined;
      firstResume = /"action"\s*:\s*"resume"/.test(text);
      if (!firstResume) {
        this.release(connection); // nothing to wait for
      }
    }
    // Frames are handled in the order they came, each once its budget was checked.
    connection.frames = (connection.frames ?? connection.ready).then(async () => {
      if (!(await this.limits.frameReceived(connection.id))) {
        connection.close(POLICY_VIOLATION, 'Too many frames');
        return;
      }
      const answered = this.actOn(connection, text);
      if (firstResume) {
        // A resume refused before it replayed (a bad frame) still ends the hold.
        void answered.finally(() => !connection.replaying && this.release(connection));
      }
    });
  }

  private actOn(connection: Connection, text: string): Promise<void> {
    return this.actions.handle(
      {
        id: connection.id,
        user: connection.user!,
        send: (frame) => this.send(connection, Buffer.from(JSON.stringify(frame))),
        startReplay: () => {
          clearTimeout(connection.holdTimer);
          connection.holdTimer = undefined;
          connection.held ??= [];
          connection.replaying = (connection.replaying ?? 0) + 1;
        },
        rewind: (roomId, since) => {
          if ((connection.seqs.get(roomId) ?? 0) > since) {
            connection.seqs.set(roomId, since);
          }
        },
        sendReplayed: (roomId: string, seq: number, frame: Buffer) => {
          if ((connection.seqs.get(roomId) ?? 0) < seq) {
            connection.seqs.set(roomId, seq);
            this.send(connection, frame);
          }
        },
        endReplay: () => {
          connection.replaying = (connection.replaying ?? 1) - 1;
          if (connection.replaying === 0) {
            this.release(connection);
          }
        },
      },
      text,
    );
  }

  private send(connection: Connection, frame: Buffer): void {
    if (connection.readyState !== connection.OPEN) {
      return;
    }
    if (connection.bufferedAmount + frame.length > this.config.ws.maxBufferedBytes) {
      // A client that does not read its frames is cut off before it can exhaust our memory.
      this.logger.warn('closing a websocket whose unsent data passed the limit');
      connection.terminate();
      return;
    }
    writeTogether(connection);
    connection.send(frame, { binary: false });
  }

  /**
   * Membership changes reach live connections as events; one that never arrives (Redis down for a
   * moment, a change made where no bus reaches, such as the CLI without Redis) would otherwise leave a
   * removed member receiving until they reconnect. So, every WS_MEMBERSHIP_RECHECK_MS, the rooms of
   * everyone connected here are read again in one statement.
   */
  private async recheckMemberships(): Promise<void> {
    const userIds = this.registry.userIds();
    if (this.recheckRunning || userIds.length === 0) {
      return;
    }
    this.recheckRunning = true;
    try {
      const reads = this.registry.startReading(userIds);
      const rooms = await this.roomUsers.roomIdsOfUsers([...reads.keys()]);
      for (const [userId, read] of reads) {
        this.registry.setRooms(userId, rooms.get(userId) ?? [], read);
      }
    } catch (error) {
      this.logger.warn(`membership recheck failed: ${String(error)}`);
    } finally {
      this.recheckRunning = false;
    }
  }

  /** One slice of the connections: closes those that did not answer their last ping, pings the others. */
  private checkHeartbeats(): void {
    const slice = this.heartbeatTick++ % HEARTBEAT_SLICES;
    for (const connection of this.registry.connections()) {
      if (connection.heartbeatSlice !== slice) {
        continue;
      }
      if (!connection.isAlive) {
        connection.terminate();
        continue;
      }
      connection.isAlive = false;
      connection.ping();
    }
  }
}
