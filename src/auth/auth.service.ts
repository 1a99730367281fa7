import { isDatabaseUnavailable } from '../common/database/postgres-errors';
import { KeyObject, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { APP_CONFIG, AppConfig } from '../common/config/config';
import { AppError, throttled } from '../common/errors/app-error';
import { isId } from '../common/validation/decorators';
import { TokenOwner, UsersService } from '../users/users.service';
import type { User } from '../users/user.entity';
import type { AuthUser } from './auth-user';
import { FailedSignIns } from './login-rate-limiter';
import { hashPassword, verifyPassword } from './password';
import { JWT_SECRET } from './auth.constants';
import type { TokenDto, TokenRequestDto } from './dto/token.dto';

export const JWT_ALGORITHM = 'HS256' as const;

export interface TokenPayload {
  sub: string;
  /** The user's token version when it was issued: a password change or a sign-out invalidates older tokens. */
  tv: number;
  /** Expiry (seconds since the epoch); a token without one is refused, though correctly signed. */
  exp?: number;
  /** `page`: a short-lived token the pages' scripts hold, which cannot start a page session of its own. */
  scope?: 'page';
}

/** A verified token: its user, the token version it was issued with, and when it expires (ms; null: never). */
export interface TokenSession {
  user: AuthUser;
  tokenVersion: number;
  expiresAt: number | null;
  /** `page` for a page token (see `issuePageToken`). */
  scope?: 'page' | null;
}

export const toAuthUser = (user: TokenOwner): AuthUser => ({
  id: user.id,
  username: user.username,
  firstName: user.firstName,
  email: user.email,
  isAdmin: user.isAdmin,
});

@Injectable()
export class AuthService {
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly users: UsersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(JWT_SECRET) private readonly secret: KeyObject,
    private readonly failedSignIns: FailedSignIns,
  ) {}

  async login(dto: TokenRequestDto, clientAddress: string): Promise<TokenDto> {
    const blockedFor = await this.failedSignIns.blockedFor(clientAddress);
    if (blockedFor > 0) {
      throw throttled(`Too many failed sign-ins; try again in ${blockedFor} s`, blockedFor);
    }
    const user = await this.users.findByUsername(dto.username);
    // A missing user costs the same hash check, so timing does not tell which usernames exist.
    this.dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    const valid = await verifyPassword(dto.password, user?.passwordHash ?? (await this.dummyHash));
    if (!user || !valid) {
      await this.failedSignIns.recordFailure(clientAddress);
      throw new AppError('invalid_credentials', 'No active account with these credentials');
    }
    return { token: this.issueToken(user) };
  }

  issueToken(user: Pick<User, 'id' | 'tokenVersion'>): string {
    const payload: TokenPayload = { sub: user.id, tv: user.tokenVersion };
    return jwt.sign(payload, this.secret, { algorithm: JWT_ALGORITHM, expiresIn: this.config.jwtExpiresInSeconds });
  }

  /**
   * A token for the pages' scripts, minted from the session cookie's: the same user and token version
   * (so sign-out and password changes revoke it too), PAGE_TOKEN_SECONDS long, scoped `page`.
   */
  issuePageToken(session: TokenSession): { token: string; expiresIn: number } {
    const payload: TokenPayload = { sub: session.user.id, tv: session.tokenVersion, scope: 'page' };
    const lifetime = this.config.pageTokenSeconds;
    const expiresIn =
      session.expiresAt === null ? lifetime : Math.min(lifetime, Math.floor((session.expiresAt - Date.now()) / 1000));
    return { token: jwt.sign(payload, this.secret, { algorithm: JWT_ALGORITHM, expiresIn }), expiresIn };
  }

  /** The user a verified token's payload names, or null when the user is gone or the token outdated. */
  async authenticate(payload: TokenPayload): Promise<AuthUser | null> {
    if (!isId(payload.sub) || typeof payload.tv !== 'number' || typeof payload.exp !== 'number') {
      return null;
    }
    const user = await this.users.findTokenOwner(payload.sub);
    return user && user.tokenVersion === payload.tv ? toAuthUser(user) : null;
  }

  /**
   * Signs the user out everywhere: every token issued so far stops working, on every instance at once
   * (each request reads the token version). A token that is not valid changes nothing.
   */
  async revokeTokens(token: string): Promise<void> {
    const user = await this.verifyToken(token);
    if (user) {
      await this.users.bumpTokenVersion(user.id);
    }
  }

  /** Verifies a raw token (as the pages and the websocket receive it) and returns its user, or null. */
  async verifyToken(token: string): Promise<AuthUser | null> {
    return (await this.verifySession(token))?.user ?? null;
  }

  /**
   * Verifies a raw token and answers its user with what decides how long the token stays good: the
   * token version it carries and its expiry (what a live websocket is closed on); null when invalid.
   */
  async verifySession(token: string): Promise<TokenSession | null> {
    try {
      const payload = jwt.verify(token, this.secret, { algorithms: [JWT_ALGORITHM] });
      if (typeof payload !== 'object') {
        return null;
      }
      const user = await this.authenticate(payload as unknown as TokenPayload);
      const expiresAt = typeof payload.exp === 'number' ? payload.exp * 1000 : null;
      const scope = (payload as unknown as TokenPayload).scope === 'page' ? 'page' : null;
      return user ? { user, tokenVersion: (payload as unknown as TokenPayload).tv, expiresAt, scope } : null;
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        throw error; // not the token's fault: the caller answers "try again", not "signed out"
      }
      return null;
    }
  }

  /** The current token version of each of these users that still exists, in one statement. */
  tokenVersions(userIds: string[]): Promise<Map<string, number>> {
    return this.users.tokenVersions(userIds);
  }
}
