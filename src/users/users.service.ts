import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { KeyedBatcher } from '../common/database/keyed-batcher';
import { isUniqueViolation } from '../common/database/postgres-errors';
import { APP_CONFIG, AppConfig } from '../common/config/config';
import { hashPassword } from '../auth/password';
import type { AuthUser } from '../auth/auth-user';
import { mapUser, RegisterUserDto, UserDto } from './dto/user.dto';
import { User } from './user.entity';

export interface NewUser {
  username: string;
  password: string;
  firstName?: string;
  email?: string;
  isAdmin?: boolean;
}

export type TokenOwner = Pick<User, 'id' | 'username' | 'firstName' | 'email' | 'isAdmin' | 'tokenVersion'>;

interface TokenOwnerRow {
  id: string;
  username: string;
  first_name: string;
  email: string;
  is_admin: boolean;
  token_version: number;
}

@Injectable()
export class UsersService {
  /** Token checks, read together while one runs (see `findTokenOwner`). */
  private readonly tokenOwners = new KeyedBatcher<'users', string, TokenOwner | null>(async (_key, ids) => {
    const rows = await this.users.query<TokenOwnerRow[]>(
      'SELECT id, username, first_name, email, is_admin, token_version FROM users WHERE id = ANY($1::uuid[])',
      [ids],
    );
    const owners = new Map(
      rows.map((row) => [
        row.id,
        {
          id: row.id,
          username: row.username,
          firstName: row.first_name,
          email: row.email,
          isAdmin: row.is_admin,
          tokenVersion: row.token_version,
        },
      ]),
    );
    return ids.map((id) => owners.get(id) ?? null);
  });

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
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
    return this.users
      .createQueryBuilder('user')
      .where('lower(user.username) = lower(:username)', { username })
      .getOne();
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

  /** The ids among `ids` that belong to existing users. */
  async existingIds(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) {
      return new Set();
    }
    const found = await this.users.find({ select: { id: true }, where: { id: In(ids) } });
    return new Set(found.map((user) => user.id));
  }

  async setPassword(userId: string, password: string): Promise<void> {
    await this.users.update(
      { id: userId },
      { passwordHash: await hashPassword(password), tokenVersion: () => '"token_version" + 1' },
    );
  }

  /** Makes every token issued to the user so far invalid. */
  async bumpTokenVersion(userId: string): Promise<void> {
    await this.users.update({ id: userId }, { tokenVersion: () => '"token_version" + 1' });
  }

  list(): Promise<User[]> {
    return this.users.find({ order: { username: 'ASC' } });
  }

  count(): Promise<number> {
    return this.users.count();
  }

  /**
   * Bulk loading (the CLI's seed): inserts users that all share one password hash, computed once by
   * the caller, in one statement. Returns their ids by username.
   */
  async insertMany(
    users: { username: string; firstName: string }[],
    passwordHash: string,
    manager: EntityManager = this.users.manager,
  ): Promise<Map<string, string>> {
    if (users.length === 0) {
      return new Map();
    }
    const rows = await manager.query<{ id: string; username: string }[]>(
      `INSERT INTO users (username, first_name, password_hash)
       SELECT u.username, u.first_name, $3 FROM unnest($1::varchar[], $2::varchar[]) AS u(username, first_name)
       RETURNING id, username`,
      [users.map((user) => user.username), users.map((user) => user.firstName), passwordHash],
    );
    return new Map(rows.map((row) => [row.username, row.id]));
  }
}
