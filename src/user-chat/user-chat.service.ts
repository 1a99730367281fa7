import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { MessagesService } from '../messages/messages.service';
import { mapUserChat, UpdateUserChatDto, UserChatDto } from './dto/user-chat.dto';
import { UserChatRepository } from './user-chat.repository';

/** A user's state across all their rooms: online (kept by presence), last seen, status, unseen totals. */
@Injectable()
export class UserChatService {
  private readonly onlineListeners: ((userIds: string[]) => void)[] = [];

  constructor(
    private readonly userChats: UserChatRepository,
    private readonly messages: MessagesService,
  ) {}

  async get(auth: AuthUser): Promise<UserChatDto> {
    const [state, totals] = await Promise.all([this.userChats.state(auth.id), this.messages.unseenTotals(auth.id)]);
    return mapUserChat(auth.id, state, totals);
  }

  /** Sets the caller's status line; a change is pushed to their rooms with their room users. */
  async update(auth: AuthUser, dto: UpdateUserChatDto): Promise<UserChatDto> {
    if (dto.status !== undefined) {
      await this.userChats.setStatus(auth.id, dto.status);
    }
    return this.get(auth);
  }

  /** Hears, once committed, which users' online flag changed (to push it to their rooms). */
  onOnlineChanged(listener: (userIds: string[]) => void): void {
    this.onlineListeners.push(listener);
  }

  /** Sets the online flag of these users, in one statement. Answers (and tells) those whose flag changed. */
  async setOnline(userIds: string[], isOnline: boolean): Promise<string[]> {
    const changed = await this.userChats.setOnline([...new Set(userIds)], isOnline);
    if (changed.length > 0) {
      for (const listener of this.onlineListeners) {
        listener(changed);
      }
    }
    return changed;
  }

  onlineUserIds(): Promise<string[]> {
    return this.userChats.onlineUserIds();
  }

  countOnline(): Promise<number> {
    return this.userChats.countOnline();
  }
}
