import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isUniqueViolation } from '../common/database/postgres-errors';
import { UserChat } from './user-chat.entity';

/** Whether user id `userId` is online, for other repositories to embed. */
export const isOnlineOf = (userId: string): string =>
  `COALESCE((SELECT uc.is_online FROM user_chats uc WHERE uc.user_id = ${userId}), false)`;

/** Every query of `user_chats`. */
@Injectable()
export class UserChatRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get userChats() {
    return this.dataSource.getRepository(UserChat);
  }

  /** Sets a user's online flag, creating their row on first use. Returns whether it changed. */
  async setOnline(userId: string, isOnline: boolean): Promise<boolean> {
    const existing = await this.userChats.findOne({ where: { user: { id: userId } } });
    if (existing) {
      if (existing.isOnline === isOnline) {
        return false;
      }
      existing.isOnline = isOnline;
      await this.userChats.save(existing);
      return true;
    }
    try {
      await this.userChats.save(this.userChats.create({ user: { id: userId }, isOnline }));
      return true;
    } catch (error) {
      if (!isUniqueViolation(error)) {
        throw error;
      }
      // Created concurrently by another instance: set it on that row.
      return this.setOnline(userId, isOnline);
    }
  }

  /** Which of these users are marked online, in one statement. */
  async onlineAmong(userIds: string[]): Promise<Set<string>> {
    const rows = await this.dataSource.query<{ user_id: string }[]>(
      'SELECT user_id FROM user_chats WHERE user_id = ANY($1::uuid[]) AND is_online',
      [userIds],
    );
    return new Set(rows.map((row) => row.user_id));
  }

  /** A plain read of one column: every instance runs it every few seconds (presence's reconcile). */
  async onlineUserIds(): Promise<string[]> {
    const rows = await this.dataSource.query<{ user_id: string }[]>('SELECT user_id FROM user_chats WHERE is_online');
    return rows.map((row) => row.user_id);
  }

  countOnline(): Promise<number> {
    return this.userChats.countBy({ isOnline: true });
  }
}
