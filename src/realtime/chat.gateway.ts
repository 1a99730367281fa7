import { Inject, Logger, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import type { WebSocket, WebSocketServer } from 'ws';
import { AuthService, TokenSession } from '../auth/auth.service';
import { APP_CONFIG, AppConfig } from '../common/config/config';
import { RateLimitsService } from '../common/limits/rate-limits.service';
import { RoomUsersService } from '../room-users/room-users.service';
import type { ChatEvent } from './chat-events';
import { ConnectionRegistry } from './connection-registry';
import { EventBus } from './event-bus';
import { PresenceService } from '../user-chat/presence.service';
import { EventFrames } from './server-frames';
import { SocketTokenWatch, TokenEnd } from './socket-token-watch';

export const WS_PATH = '/api/v1/chat/ws';

/** Close codes: 1001 going away (shutdown), 1008 policy (slow consumer, too many connections), 4401 for a token gone bad. */
const GOING_AWAY = 1001;
const POLICY_VIOLATION = 1008;
export const TOKEN_ENDED = 4401;

const authenticatedUser = Symbol('authenticatedUser');
type AuthenticatedRequest = IncomingMessage & { [authenticatedUser]?: TokenSession };
/** `countedFor`: the user whose connection limit this connection counts against. */
type Connection = WebSocket & { isAlive?: boolean; heartbeatSlice?: number; countedFor?: string };

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

/**
 * Authenticates websocket upgrades, keeps this instance's connections, and delivers each event to
 * the connected members of its room only. Nothing is accepted without a valid token.
 */
@WebSocketGateway({ path: WS_PATH, maxPayload: 4096 })
export class ChatGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly logger = new Logger('ChatGateway');
  private readonly registry = new ConnectionRegistry<Connection>();
  private heartbeat: NodeJS.Timeout | undefined;
  private heartbeatTick = 0;
  private connectionCount = 0;
  private membershipRecheck: NodeJS.Timeout | undefined;
  private recheckRunning = false;
  private stopping = false;
  /** Closes a socket with 4401 when its token expires, and within WS_TOKEN_RECHECK_MS of its revocation. */
  private readonly tokens: SocketTokenWatch<Connection>;

  constructor(
    private readonly auth: AuthService,
    private readonly roomUsers: RoomUsersService,
    private readonly presence: PresenceService,
    private readonly bus: EventBus,
    private readonly httpAdapterHost: HttpAdapterHost,
    private readonly limits: RateLimitsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.tokens = new SocketTokenWatch<Connection>({
      readVersions: (userIds) => this.auth.tokenVersions(userIds),
      end: (connection, why) => this.endSession(connection, why),
      recheckMs: this.config.ws.tokenRecheckMs,
      onError: (error) => this.logger.warn(`token recheck failed: ${String(error)}`),
    });
  }

  afterInit(server: WebSocketServer): void {
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
          (info.req as AuthenticatedRequest)[authenticatedUser] = session;
          accept(true);
        },
        () => accept(false, 401, 'Unauthorized'),
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
    if (!this.limits.connectionOpened(user.id)) {
      connection.close(POLICY_VIOLATION, 'Too many connections');
      return;
    }
    connection.countedFor = user.id;
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
    this.registry.add(user.id, connection);
    const read = this.registry.startReading([user.id]).get(user.id)!;
    this.presence.connectionAccepted(user.id);
    let setUp = true;
    try {
      const rooms = await this.roomUsers.roomIdsOfUsers([user.id]);
      this.registry.setRooms(user.id, rooms.get(user.id) ?? [], read);
    } catch (error) {
      this.logger.error(`connection set-up failed: ${String(error)}`);
      setUp = false;
    }
    // Counted whatever happened, so that closing it below is counted against it.
    await this.presence
      .connectionOpened(user.id)
      .catch((error: unknown) => this.logger.warn(`presence: ${String(error)}`));
    if (!setUp) {
      connection.close(1011, 'Server error');
    }
  }

  async handleDisconnect(connection: Connection): Promise<void> {
    this.tokens.forget(connection);
    if (connection.countedFor !== undefined) {
      this.limits.connectionClosed(connection.countedFor);
      connection.countedFor = undefined;
    }
    const removed = this.registry.remove(connection);
    if (removed && !this.stopping) {
      await this.presence
        .connectionClosed(removed.userId)
        .catch((error: unknown) => this.logger.warn(`presence: ${String(error)}`));
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearInterval(this.heartbeat);
    clearInterval(this.membershipRecheck);
    this.tokens.stop();
    const users = this.registry.userIds();
    const closed = [...this.registry.connections()].map(
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

  /** Delivers an event to the connected members of its room; does nothing when none is connected here. */
  private deliver(event: ChatEvent): void {
    if (event.type === 'room_users') {
      // Added members start receiving with this very frame.
      for (const roomUser of event.roomUsers) {
        if (roomUser.userId && roomUser.isActive) {
          this.registry.join(roomUser.userId, event.roomId);
        }
      }
    }
    if (!this.registry.hasRoom(event.roomId)) {
      return;
    }
    if (event.type === 'room_deleted') {
      this.registry.dropRoom(event.roomId);
      return;
    }
    const frames = new EventFrames(event);
    let recipients = 0;
    for (const [userId, connections] of this.registry.recipients(event.roomId)) {
      const frame = frames.frameFor(userId);
      for (const connection of connections) {
        this.send(connection, frame);
        recipients += 1;
      }
    }
    this.logger.debug(
      `delivered ${event.type} room=${event.roomId} connections=${recipients} frames=${frames.serialisedCount}`,
    );
    if (event.type === 'room_users') {
      // Removed members get the frame telling them so, then nothing more.
      for (const roomUser of event.roomUsers) {
        if (roomUser.userId && !roomUser.isActive) {
          this.registry.leave(roomUser.userId, event.roomId);
        }
      }
    }
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
