import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isUniqueViolation } from '../common/database/postgres-errors';
import type { UserChatState } from './dto/user-chat.dto';
import { UserChat } from './user-chat.entity';

/**
 * The user-chat row of user id `user` as alias `uc` (absent for a user never online and without a
 * status), for other repositories to join; read it with `userChatColumnsOf`.
 */
export const userChatJoin = (user: string): string => `LEFT JOIN user_chats uc ON uc.user_id = ${user}`;

/** `is_online`, `last_seen` and `status` of the row `userChatJoin` joined. */
export const USER_CHAT_COLUMNS = `COALESCE(uc.is_online, false) AS is_online, uc.last_seen, COALESCE(uc.status, '') AS status`;

/** Every query of `user_chats`. */
@Injectable()
export class UserChatRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get userChats() {
    return this.dataSource.getRepository(UserChat);
  }

  async state(userId: string): Promise<UserChatState | null> {
    const row = await this.userChats.findOne({ where: { user: { id: userId } } });
    return row && { isOnline: row.isOnline, lastSeen: row.lastSeen, status: row.status };
  }

  /**
   * Sets the online flag of these users in one statement (creating rows on first use); going offline is
   * when they were last seen. Answers the users whose flag changed.
   */
  async setOnline(userIds: string[], isOnline: boolean): Promise<string[]> {
    if (userIds.length === 0) {
      return [];
    }
    const rows = await this.dataSource.query<{ user_id: string }[]>(
      isOnline
        ? `INSERT INTO user_chats (user_id, is_online) SELECT unnest($1::uuid[]), true
             ON CONFLICT (user_id) DO UPDATE SET is_online = true, modified = now() WHERE NOT user_chats.is_online
           RETURNING user_id`
        : // As a SELECT: a bare UPDATE answers TypeORM's [rows, count] rather than the rows.
          `WITH changed AS (
             UPDATE user_chats SET is_online = false, last_seen = now(), modified = now()
              WHERE user_id = ANY($1::uuid[]) AND is_online
             RETURNING user_id
           )
           SELECT user_id FROM changed`,
      [userIds],
    );
    return rows.map((row) => row.user_id);
  }

  /** Sets a user's status line. Returns whether it changed. */
  setStatus(userId: string, status: string): Promise<boolean> {
    return this.change(userId, (row) => {
      if (row.status === status) {
        return false;
      }
      row.status = status;
      return true;
    });
  }

  /** A plain read of one column: every instance runs it every few seconds (presence's reconcile). */
  async onlineUserIds(): Promise<string[]> {
    const rows = await this.dataSource.query<{ user_id: string }[]>('SELECT user_id FROM user_chats WHERE is_online');
    return rows.map((row) => row.user_id);
  }

  countOnline(): Promise<number> {
    return this.userChats.countBy({ isOnline: true });
  }

  /**
   * Applies `apply` to the user's row (a new one when they have none) and saves it when it says it
   * changed something; saving through the entity is what pushes the change to the user's rooms.
   */
  private async change(userId: string, apply: (row: UserChat) => boolean): Promise<boolean> {
    const existing = await this.userChats.findOne({ where: { user: { id: userId } } });
    if (existing) {
      if (!apply(existing)) {
        return false;
      }
      await this.userChats.save(existing);
      return true;
    }
    const created = this.userChats.create({ user: { id: userId }, isOnline: false, lastSeen: null, status: '' });
    if (!apply(created)) {
      return false;
    }
    try {
      await this.userChats.save(created);
      return true;
    } catch (error) {
      if (!isUniqueViolation(error)) {
        throw error;
      }
      // Created concurrently by another instance: change that row.
      return this.change(userId, apply);
    }
  }
}
