import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { AuthService } from '../auth/auth.service';
import type { PageTokenDto } from '../auth/dto/token.dto';
import { APP_CONFIG, AppConfig } from '../common/config/config';
import { AppError, notFound } from '../common/errors/app-error';
import { DEFAULT_LIMIT } from '../common/http/pagination';
import { MessagesService } from '../messages/messages.service';
import { RoomSeqsService } from '../realtime/room-seqs.service';
import { RoomUsersService } from '../room-users/room-users.service';
import { RoomsService } from '../rooms/rooms.service';
import { UsersService } from '../users/users.service';
import { UserSummaryDto } from './dto/session.dto';
import {
  MemberView,
  MessageItemView,
  RoomItemView,
  toMemberViews,
  toMessageViews,
  toRoomViews,
  initialOf,
  hueOf,
  REACTION_PICKS,
} from './page-view';
import { secondsLeft } from './session-cookie';

/** Rooms listed on the first render of `/chat/`; the script fetches further pages on demand. */
export const LOBBY_ROOMS = 100;

export interface ViewerView {
  id: string;
  name: string;
  username: string;
  initial: string;
  hue: number;
}

export interface SignInPage {
  title: string;
  signupEnabled: boolean;
  notice?: string;
  /** A signed-in visitor who opened a room they may not see (they get a way back to their rooms). */
  signedIn: boolean;
}

export interface RoomListPage {
  title: string;
  signedIn: true;
  signupEnabled: boolean;
  me: ViewerView;
  rooms: RoomItemView[];
  moreRooms: boolean;
}

/** `/chat/`: the room list, or the sign-in form for a visitor who is not signed in. */
export type LobbyPage = RoomListPage | SignInPage;

export interface RoomPage {
  title: string;
  me: ViewerView;
  room: {
    id: string;
    title: string;
    description: string;
    isPublic: boolean;
    isMuted: boolean;
    isAdmin: boolean;
    initial: string;
    hue: number;
  };
  members: MemberView[];
  onlineCount: number;
  messages: MessageItemView[];
  hasOlder: boolean;
  /** The room's change the page shows: the script resumes from it. */
  seq: number;
  /** What the react picker offers (messages' partials and the script's template read it). */
  reactionPicks: string[];
}

const notSignedIn = () => new AppError('not_authenticated', 'Sign in to open this page');

@Injectable()
export class PagesService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly rooms: RoomsService,
    private readonly messages: MessagesService,
    private readonly roomUsers: RoomUsersService,
    private readonly roomSeqs: RoomSeqsService,
  ) {}

  /** The visitor, from a `?token=` link if there is one (it wins), else from the session cookie. */
  async viewer(linkToken: unknown, cookieToken: string | null): Promise<AuthUser | null> {
    const token = linkToken === undefined ? cookieToken : linkToken;
    return typeof token === 'string' && token !== '' ? this.auth.verifyToken(token) : null;
  }

  signInPage(notice?: string, signedIn = false): SignInPage {
    return { title: 'Sign in', signupEnabled: this.config.signupEnabled, notice, signedIn };
  }

  async lobby(viewer: AuthUser | null, baseUrl: URL): Promise<LobbyPage> {
    if (!viewer) {
      return this.signInPage();
    }
    const rooms = await this.rooms.list(
      viewer,
      { limit: String(LOBBY_ROOMS) },
      new URL('/api/v1/chat/rooms/', baseUrl),
    );
    return {
      title: 'Rooms',
      signedIn: true,
      signupEnabled: this.config.signupEnabled,
      me: toViewerView(viewer),
      rooms: toRoomViews(rooms.results),
      moreRooms: rooms.next !== null,
    };
  }

  /** The room with its latest messages; 401 without a viewer, 404 when they may not see it. */
  async room(viewer: AuthUser | null, roomId: string, baseUrl: URL): Promise<RoomPage> {
    if (!viewer) {
      throw notSignedIn();
    }
    const room = await this.rooms.get(viewer, roomId);
    // Before the messages and members: a change between the reads is then replayed by the page's resume.
    const seq = await this.roomSeqs.latestOf(roomId);
    const [members, page] = await Promise.all([
      this.roomUsers.list(viewer, roomId),
      this.messages.list(
        viewer,
        roomId,
        { limit: String(DEFAULT_LIMIT) },
        new URL(`/api/v1/chat/rooms/${roomId}/messages/`, baseUrl),
      ),
    ]);
    const isAdmin = room.creator_id === viewer.id || room.admins.includes(viewer.id);
    const memberViews = toMemberViews(members);
    return {
      title: room.title,
      me: toViewerView(viewer),
      room: {
        id: room.id,
        title: room.title,
        description: room.description,
        isPublic: room.is_public,
        isMuted: room.is_muted,
        isAdmin,
        initial: initialOf(room.title),
        hue: hueOf(room.id),
      },
      members: memberViews,
      onlineCount: memberViews.filter((member) => member.isOnline).length,
      messages: toMessageViews([...page.results].reverse(), members, { userId: viewer.id, isRoomAdmin: isAdmin }),
      hasOlder: page.next !== null,
      seq,
      reactionPicks: REACTION_PICKS,
    };
  }

  /** Checks a token for the session cookie; answers how long the cookie may live. */
  async startSession(token: string): Promise<number> {
    const session = await this.auth.verifySession(token);
    const maxAge = secondsLeft(token);
    if (!session || maxAge <= 0) {
      throw new AppError('not_authenticated', 'The token is not valid');
    }
    if (session.scope === 'page') {
      // A page token stays within its page: it cannot become a session that outlives it.
      throw new AppError('not_authenticated', 'A page token cannot start a session');
    }
    return maxAge;
  }

  /** Revokes the session's token server-side (a missing or invalid one needs nothing). */
  async endSession(cookieToken: string | null): Promise<void> {
    if (cookieToken) {
      await this.auth.revokeTokens(cookieToken);
    }
  }

  /**
   * A short-lived page token for the page scripts to call the API with, minted from the session
   * cookie's token, which never leaves the HttpOnly cookie.
   */
  async sessionToken(cookieToken: string | null): Promise<PageTokenDto> {
    const session = cookieToken ? await this.auth.verifySession(cookieToken) : null;
    if (!session) {
      throw new AppError('not_authenticated', 'Not signed in');
    }
    const { token, expiresIn } = this.auth.issuePageToken(session);
    return { token, expires_in: expiresIn };
  }

  /** A user by exact username (any letter case), to add as a member when creating a room. */
  async findUser(_: AuthUser, username: string): Promise<UserSummaryDto> {
    const user = await this.users.findByUsername(username);
    if (!user) {
      throw notFound('User');
    }
    return { id: user.id, username: user.username, first_name: user.firstName };
  }
}

function toViewerView(user: AuthUser): ViewerView {
  const name = user.firstName || user.username;
  return { id: user.id, name, username: user.username, initial: initialOf(name), hue: hueOf(user.id) };
}
