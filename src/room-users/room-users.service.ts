import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { RoomAccess, RoomAccessService } from '../access/room-access.service';
import type { AuthUser } from '../auth/auth-user';
import { forbidden, invalid, notFound } from '../common/errors/app-error';
import { isId } from '../common/validation/decorators';
import { UsersService } from '../users/users.service';
import {
  AddRoomUserDto,
  mapRoomUser,
  RoomUserDto,
  RoomUserNameDto,
  RoomUserView,
  UpdateRoomUserDto,
} from './dto/room-user.dto';
import { RoomUser } from './room-user.entity';
import { RoomUsersRepository } from './room-users.repository';

function requireMayAdd(auth: AuthUser, access: RoomAccess, userId: string): void {
  const joiningPublicRoom = userId === auth.id && access.isPublic;
  if (!access.isAdmin && !joiningPublicRoom) {
    throw forbidden('Only the room admins may add members');
  }
}

@Injectable()
export class RoomUsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: RoomUsersRepository,
    private readonly access: RoomAccessService,
    private readonly users: UsersService,
  ) {}

  async list(auth: AuthUser, roomId: string): Promise<RoomUserDto[]> {
    await this.access.requireVisible(auth, roomId);
    const views = await this.repository.views('room', [roomId]);
    return views.map((view) => mapRoomUser(view, auth.id));
  }

  async get(auth: AuthUser, roomId: string, userId: string): Promise<RoomUserDto> {
    await this.access.requireVisible(auth, roomId);
    return mapRoomUser(await this.requireView(roomId, userId), auth.id);
  }

  async names(auth: AuthUser, roomId: string): Promise<RoomUserNameDto[]> {
    await this.access.requireVisible(auth, roomId);
    const rows = await this.repository.names(roomId);
    return rows.map((row) => ({ id: row.id, first_name: row.first_name }));
  }

  /** Room admins add anyone; anyone may add themselves to a public room. Adding a member again is a no-op. */
  async add(auth: AuthUser, roomId: string, dto: AddRoomUserDto): Promise<RoomUserDto> {
    requireMayAdd(auth, await this.access.requireVisible(auth, roomId), dto.user_id);
    const view = await this.addMember(roomId, dto.user_id, async (manager) =>
      // Checked again holding the room, so that it is neither deleted nor closed before the join commits.
      requireMayAdd(auth, await this.access.requireVisible(auth, roomId, manager, 'keep'), dto.user_id),
    );
    return mapRoomUser(view, auth.id);
  }

  async update(auth: AuthUser, roomId: string, userId: string, dto: UpdateRoomUserDto): Promise<RoomUserDto> {
    await this.access.requireAdmin(auth, roomId);
    await this.setActive(roomId, userId, dto.is_active);
    return mapRoomUser(await this.requireView(roomId, userId), auth.id);
  }

  /** Room admins remove anyone; a member may leave. Their old messages keep their author. */
  async remove(auth: AuthUser, roomId: string, userId: string): Promise<void> {
    const access = await this.access.requireVisible(auth, roomId);
    if (!access.isAdmin && userId !== auth.id) {
      throw forbidden('Only the room admins may remove other members');
    }
    await this.removeMember(roomId, userId);
  }

  /**
   * Makes a user an active member of an existing room, with no check of who asks: `add` checks the
   * caller first; the admin CLI may do anything.
   */
  async addMember(
    roomId: string,
    userId: string,
    recheck: (manager: EntityManager) => Promise<void> = async (manager) => {
      await this.access.requireExists(roomId, manager);
    },
  ): Promise<RoomUserView> {
    // Before the transaction: on the embedded database a query beside an open transaction waits for it.
    if ((await this.users.existingIds([userId])).size === 0) {
      throw invalid('user_id', 'No user with this id');
    }
    await this.dataSource.transaction(async (manager) => {
      await recheck(manager);
      await this.join(manager, roomId, userId);
    });
    return this.requireView(roomId, userId);
  }

  /** Makes a member inactive (their old messages keep their author), with no check of who asks; 404 if never one. */
  async removeMember(roomId: string, userId: string): Promise<void> {
    await this.setActive(roomId, userId, false);
  }

  /** Makes the user an active member (creating or reactivating their room user); returns it. */
  async join(manager: EntityManager, roomId: string, userId: string): Promise<RoomUser> {
    const existing = await this.repository.find(manager, roomId, userId);
    if (existing) {
      if (!existing.isActive) {
        existing.isActive = true;
        await this.repository.save(manager, existing);
      }
      return existing;
    }
    await this.repository.insertIfAbsent(manager, roomId, userId);
    const created = await this.repository.find(manager, roomId, userId);
    if (!created) {
      throw notFound('Room user');
    }
    return created;
  }

  /** Mute is a member's own preference for a room (the seed's Room.muted_by). */
  async setMuted(manager: EntityManager, roomId: string, userId: string, muted: boolean): Promise<void> {
    await (muted ? this.repository.mute(manager, roomId, userId) : this.repository.unmute(manager, roomId, userId));
  }

  /** Makes exactly `userIds` (plus `keep`) the active members of the room. */
  async setMembers(manager: EntityManager, roomId: string, userIds: string[], keep: string[] = []): Promise<void> {
    const wanted = new Set([...userIds, ...keep]);
    const current = await this.repository.activeOfRoom(manager, roomId);
    const leaving = current.filter((roomUser) => roomUser.userId !== null && !wanted.has(roomUser.userId));
    for (const roomUser of leaving) {
      roomUser.isActive = false;
    }
    await this.repository.save(manager, leaving);
    for (const userId of wanted) {
      await this.join(manager, roomId, userId);
    }
  }

  /** Ids of the rooms each of these users is an active member of; a user of none is absent from the map. */
  /**
   * The room's active members among these lower-case usernames, as lower-case username → user id (the
   * messages module resolves `@username` mentions with it). Asks nothing when there is no name.
   */
  async activeMembersNamed(manager: EntityManager, roomId: string, names: string[]): Promise<Map<string, string>> {
    return names.length === 0 ? new Map() : this.repository.activeMembersNamed(manager, roomId, names);
  }

  roomIdsOfUsers(userIds: string[]): Promise<Map<string, string[]>> {
    return this.repository.roomIdsOfUsers(userIds);
  }

  /** Room users by id, as the websocket pushes them. */
  loadViewsByIds(ids: string[]): Promise<RoomUserView[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.repository.views('ids', [ids]);
  }

  /** Every active room user of these users, e.g. to tell their rooms they went online or offline. */
  loadViewsOfUsers(userIds: string[]): Promise<RoomUserView[]> {
    return userIds.length === 0 ? Promise.resolve([]) : this.repository.views('activeOfUsers', [userIds]);
  }

  private async setActive(roomId: string, userId: string, isActive: boolean): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // Locked, so that a room deleted meanwhile cannot make the save insert the row again.
      const roomUser = isId(userId) ? await this.repository.lock(manager, roomId, userId) : null;
      if (!roomUser) {
        throw notFound('Room user');
      }
      if (roomUser.isActive !== isActive) {
        roomUser.isActive = isActive;
        await this.repository.save(manager, roomUser);
      }
    });
  }

  private async requireView(roomId: string, userId: string): Promise<RoomUserView> {
    const [view] = isId(userId) ? await this.repository.views('roomAndUser', [roomId, userId]) : [];
    if (!view) {
      throw notFound('Room user');
    }
    return view;
  }
}
