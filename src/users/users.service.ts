import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { KeyedBatcher } from '../common/database/keyed-batcher';
import { isUniqueViolation } from '../common/database/postgres-errors';
import { APP_CONFIG, AppConfig } from '../common/config/config';
import { hashPassword } from '../auth/password';
import type { AuthUser } from '../auth/auth-user';
import { mapUser, RegisterUserDto, UserDto } from './dto/user.dto';
import { User } from './user.entity';
import { TokenOwner, UsersRepository } from './users.repository';

export interface NewUser {
  username: string;
  password: string;
  firstName?: string;
  email?: string;
  isAdmin?: boolean;
}

export type { TokenOwner } from './users.repository';

@Injectable()
export class UsersService {
  /** Token checks, read together while one runs (see `findTokenOwner`). */
  private readonly tokenOwners = new KeyedBatcher<'users', string, TokenOwner | null>(async (_key, ids) => {
    const owners = await this.users.tokenOwners(ids);
    return ids.map((id) => owners.get(id) ?? null);
  });

  constructor(
    private readonly users: UsersRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async register(dto: RegisterUserDto): Promise<UserDto> {
    if (!this.config.signupEnabled) {
      throw new AppError('signup_disabled', 'Sign-up is turned off on this server');
    }
    const user = await this.create({
      username: dto.username,
      password: dto.password,
      firstName: dto.first_name,
      email: dto.email,
    });
    return mapUser(user);
  }

  getMe(auth: AuthUser): UserDto {
    return mapUser(auth);
  }

  /** Creates a user; a username taken in any letter case is refused. */
  async create(input: NewUser): Promise<User> {
    if (await this.findByUsername(input.username)) {
      throw new AppError('conflict', 'A user with that username already exists', 'username');
    }
    const user = this.users.create({
      username: input.username,
      passwordHash: await hashPassword(input.password),
      firstName: input.firstName ?? '',
      email: input.email ?? '',
      isAdmin: input.isAdmin ?? false,
    });
    try {
      return await this.users.save(user);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError('conflict', 'A user with that username already exists', 'username');
      }
      throw error;
    }
  }

  findByUsername(username: string): Promise<User | null> {
    return this.users.findByUsername(username);
  }

  /**
   * What checking a token needs of its user (every authenticated request does it): one plain indexed
   * read, without the query builder's per-call work. The checks that arrive while one runs are read
   * together by the next (`KeyedBatcher`), which starts after they arrived: a token revoked before its
   * request came is refused all the same.
   */
  findTokenOwner(id: string): Promise<TokenOwner | null> {
    return this.tokenOwners.submit('users', id);
  }

  /** The current token version of each of these users that exists, read in one statement (not batched). */
  async tokenVersions(ids: string[]): Promise<Map<string, number>> {
    if (ids.length === 0) {
      return new Map();
    }
    const owners = await this.users.tokenOwners(ids);
    return new Map([...owners].map(([id, owner]) => [id, owner.tokenVersion]));
  }

  /** The ids among `ids` that belong to existing users. */
  async existingIds(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) {
      return new Set();
    }
    return this.users.existingIds(ids);
  }

  async setPassword(userId: string, password: string): Promise<void> {
    await this.users.setPasswordHash(userId, await hashPassword(password));
  }

  /** Makes every token issued to the user so far invalid. */
  async bumpTokenVersion(userId: string): Promise<void> {
    await this.users.bumpTokenVersion(userId);
  }

  list(): Promise<User[]> {
    return this.users.listByUsername();
  }

  count(): Promise<number> {
    return this.users.count();
  }
}
