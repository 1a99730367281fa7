import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { UserChat } from './user-chat.entity';

@Injectable()
export class UserChatService {
  constructor(@InjectRepository(UserChat) private readonly userChats: Repository<UserChat>) {}

  /** Sets a user's online flag; saved through the entity so that the change is pushed. Returns whether it changed. */
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
    } catch {
      // Created concurrently by another instance: set it on that row.
      return this.setOnline(userId, isOnline);
    }
  }

  /**
   * Ids of the users marked online: a plain read of one column, since every instance runs it every few
   * seconds (presence's reconcile) and loading thousands of entities with their user held the event loop
   * for 30 ms or more (W3 in BENCHMARKS.md).
   */
  async onlineUserIds(): Promise<string[]> {
    const rows = await this.userChats.query<{ user_id: string }[]>('SELECT user_id FROM user_chats WHERE is_online');
    return rows.map((row) => row.user_id);
  }

  countOnline(): Promise<number> {
    return this.userChats.countBy({ isOnline: true });
  }
}
