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

  /** Ids of the users marked online. */
  async onlineUserIds(): Promise<string[]> {
    const rows = await this.userChats.find({ where: { isOnline: true }, relations: { user: true } });
    return rows.map((row) => row.user.id);
  }

  countOnline(): Promise<number> {
    return this.userChats.countBy({ isOnline: true });
  }
}
