import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { MessagesService } from '../messages/messages.service';
import { mapUserChat, UpdateUserChatDto, UserChatDto } from './dto/user-chat.dto';
import { UserChatRepository } from './user-chat.repository';

/** A user's state across all their rooms: online (kept by presence), last seen, status, unseen totals. */
@Injectable()
export class UserChatService {
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
