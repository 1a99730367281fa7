import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { User } from './user.entity';

export type TokenOwner = Pick<User, 'id' | 'username' | 'firstName' | 'email' | 'isAdmin' | 'tokenVersion'>;

interface TokenOwnerRow {
  id: string;
  username: string;
  first_name: string;
  email: string;
  is_admin: boolean;
  token_version: number;
}

/** A user's display name (first name, else username) for user id `userId`, for other repositories to embed. */
export const displayNameOf = (userId: string): string =>
  `(SELECT COALESCE(NULLIF(u.first_name, ''), u.username) FROM users u WHERE u.id = ${userId})`;

/** The username of user id `userId`, for other repositories to embed. */
export const usernameOf = (userId: string): string => `(SELECT u.username FROM users u WHERE u.id = ${userId})`;

/** Every query of `users`. */
@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get users() {
    return this.dataSource.getRepository(User);
  }

  create(values: Partial<User>): User {
    return this.users.create(values);
  }

  save(user: User): Promise<User> {
    return this.users.save(user);
  }

  findByUsername(username: string): Promise<User | null> {
    return this.users
      .createQueryBuilder('user')
      .where('lower(user.username) = lower(:username)', { username })
      .getOne();
  }

  /** What checking tokens needs of their users: one plain indexed read for many. */
  async tokenOwners(ids: string[]): Promise<Map<string, TokenOwner>> {
    const rows = await this.dataSource.query<TokenOwnerRow[]>(
      'SELECT id, username, first_name, email, is_admin, token_version FROM users WHERE id = ANY($1::uuid[])',
      [ids],
    );
    return new Map(
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
  }

  async existingIds(ids: string[]): Promise<Set<string>> {
    const found = await this.users.find({ select: { id: true }, where: { id: In(ids) } });
    return new Set(found.map((user) => user.id));
  }

  /** Changes the password and invalidates every token issued before. */
  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.users.update({ id: userId }, { passwordHash, tokenVersion: () => '"token_version" + 1' });
  }

  /** Invalidates every token issued before. */
  async bumpTokenVersion(userId: string): Promise<void> {
    await this.users.update({ id: userId }, { tokenVersion: () => '"token_version" + 1' });
  }

  listByUsername(): Promise<User[]> {
    return this.users.find({ order: { username: 'ASC' } });
  }

  count(): Promise<number> {
    return this.users.count();
  }
}
