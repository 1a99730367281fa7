import { Injectable } from '@nestjs/common';
import { UserChatRepository } from './user-chat.repository';

/** A user's state across all their rooms: for now, whether they are online (kept by presence). */
@Injectable()
export class UserChatService {
  constructor(private readonly userChats: UserChatRepository) {}

  /** Sets a user's online flag; the change is pushed to their rooms. Returns whether it changed. */
  setOnline(userId: string, isOnline: boolean): Promise<boolean> {
    return this.userChats.setOnline(userId, isOnline);
  }

  /** Which of these users are marked online. */
  onlineAmong(userIds: string[]): Promise<Set<string>> {
    return this.userChats.onlineAmong(userIds);
  }

  onlineUserIds(): Promise<string[]> {
    return this.userChats.onlineUserIds();
  }

  countOnline(): Promise<number> {
    return this.userChats.countOnline();
  }
}
