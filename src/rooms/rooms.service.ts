import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RoomAccessService } from '../access/room-access.service';
import type { AuthUser } from '../auth/auth-user';
import { AppError, forbidden, invalid, notFound } from '../common/errors/app-error';
import { Page, PageQueryDto, toPage, toPageRequest } from '../common/http/pagination';
import { isId } from '../common/validation/decorators';
import { MessageImagesService } from '../images/message-images.service';
import { MessagesService } from '../messages/messages.service';
import { RoomUsersService } from '../room-users/room-users.service';
import { UsersService } from '../users/users.service';
import { AddRoomAdminDto, CreateRoomDto, RoomDto, RoomSummaryDto, UpdateRoomDto } from './dto/room.dto';
import { RoomRow, RoomsRepository, RoomSummaryRow } from './rooms.repository';

const mapRoomSummary = (row: RoomSummaryRow): RoomSummaryDto => ({
  id: row.id,
  title: row.title,
  is_public: row.is_public,
  creator_id: row.creator_id,
  creator_username: row.creator_username,
  members: row.members,
  message_total_count: row.message_count,
  created: row.created.toISOString(),
  last_activity_at: row.last_activity_at.toISOString(),
});

@Injectable()
export class RoomsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rooms: RoomsRepository,
    private readonly access: RoomAccessService,
    private readonly roomUsers: RoomUsersService,
    private readonly messages: MessagesService,
    private readonly images: MessageImagesService,
    private readonly users: UsersService,
  ) {}

  /** Rooms the caller can see, newest activity first. */
  async list(auth: AuthUser, query: PageQueryDto, url: URL): Promise<Page<RoomDto>> {
    const page = toPageRequest(query, url);
    const { rows, total } = await this.rooms.pageVisible(auth.id, page);
    return toPage(page, total, this.toDtos(auth, rows));
  }

  async get(auth: AuthUser, roomId: string): Promise<RoomDto> {
    await this.access.requireVisible(auth, roomId);
    return this.load(auth, roomId);
  }

  async create(auth: AuthUser, dto: CreateRoomDto): Promise<RoomDto> {
    const members = await this.requireUsers(dto.users ?? []);
    const roomId = await this.dataSource.transaction(async (manager) => {
      const room = await this.rooms.insert(manager, {
        creatorId: auth.id,
        title: dto.title,
        description: dto.description ?? '',
        isPublic: dto.is_public ?? true,
      });
      await this.rooms.addAdmin(manager, room.id, auth.id);
      await this.roomUsers.setMembers(manager, room.id, members, [auth.id]);
      return room.id;
    });
    return this.load(auth, roomId);
  }

  /** PATCH changes the fields given; PUT (`replace`) requires the title as well. */
  async update(auth: AuthUser, roomId: string, dto: UpdateRoomDto, replace: boolean): Promise<RoomDto> {
    if (replace && dto.title === undefined) {
      throw new AppError('required', 'title is required', 'title');
    }
    const members = dto.users === undefined ? undefined : await this.requireUsers(dto.users);
    await this.dataSource.transaction(async (manager) => {
      await this.access.requireAdmin(auth, roomId, manager, 'keep');
      const room = await this.rooms.findById(manager, roomId);
      room.title = dto.title ?? room.title;
      room.description = dto.description ?? room.description;
      room.isPublic = dto.is_public ?? room.isPublic;
      await this.rooms.save(manager, room);
      if (members) {
        await this.roomUsers.setMembers(manager, roomId, members, await this.rooms.adminIds(manager, roomId));
      }
    });
    return this.load(auth, roomId);
  }

  /** Deletes the room with its messages and images, and the image files. */
  async delete(auth: AuthUser, roomId: string): Promise<void> {
    const fileKeys = await this.dataSource.transaction(async (manager) => {
      await this.access.requireAdmin(auth, roomId, manager, 'delete');
      const keys = await this.images.storageKeysOfRoom(manager, roomId);
      await this.rooms.remove(manager, await this.rooms.findById(manager, roomId));
      return keys;
    });
    await this.images.deleteFiles(fileKeys);
  }

  async setMuted(auth: AuthUser, roomId: string, muted: boolean): Promise<RoomDto> {
    await this.dataSource.transaction(async (manager) => {
      await this.access.requireVisible(auth, roomId, manager, 'keep');
      await this.roomUsers.setMuted(manager, roomId, auth.id, muted);
    });
    return this.load(auth, roomId);
  }

  /** A room admin makes a member one of the admins; already one is fine. */
  async addAdminAs(auth: AuthUser, roomId: string, dto: AddRoomAdminDto): Promise<RoomDto> {
    await this.dataSource.transaction(async (manager) => {
      await this.access.requireAdmin(auth, roomId, manager, 'keep');
      const target = (await this.access.findForUsers(roomId, [dto.user_id], manager)).get(dto.user_id);
      if (!target?.roomUserId) {
        throw invalid('user_id', 'Only a member of the room can be made one of its admins');
      }
      await this.rooms.addAdmin(manager, roomId, dto.user_id);
    });
    return this.load(auth, roomId);
  }

  /** A room admin takes another off the admins (they stay a member); the creator always stays one. */
  async removeAdminAs(auth: AuthUser, roomId: string, userId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const access = await this.access.requireAdmin(auth, roomId, manager, 'keep');
      if (userId === access.creatorId) {
        throw invalid('user_id', 'The creator of a room is always one of its admins');
      }
      if (!isId(userId) || !(await this.rooms.removeAdmin(manager, roomId, userId))) {
        throw notFound('Room admin');
      }
    });
  }

  /**
   * Makes a user one of the room's admins, and an active member if they were not (admins are kept as
   * members, as `update` keeps them). The site admin's CLI; no check of who asks. False when they already
   * were an admin.
   */
  async addAdmin(roomId: string, userId: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      await this.access.requireExists(roomId, manager);
      await this.roomUsers.join(manager, roomId, userId);
      return this.rooms.addAdmin(manager, roomId, userId);
    });
  }

  /**
   * Takes a user off the room's admins; they stay a member. The creator always counts as an admin, so
   * they cannot be taken off. The site admin's CLI. False when the user was not an admin.
   */
  async removeAdmin(roomId: string, userId: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const { creatorId } = await this.access.requireExists(roomId, manager);
      if (creatorId === userId) {
        throw forbidden('The creator of a room is always one of its admins');
      }
      return this.rooms.removeAdmin(manager, roomId, userId);
    });
  }

  /** Every room with its size and activity, newest activity first: the site admin's view (the CLI). */
  async listSummaries(): Promise<RoomSummaryDto[]> {
    return (await this.rooms.summaries()).map(mapRoomSummary);
  }

  /** One room's summary, or null when there is no such room. */
  async findSummary(roomId: string): Promise<RoomSummaryDto | null> {
    if (!isId(roomId)) {
      return null;
    }
    const row = await this.rooms.summary(roomId);
    return row ? mapRoomSummary(row) : null;
  }

  /** The id of the oldest room with this title made by this user, if any. */
  async findIdByTitle(title: string, creatorId: string): Promise<string | null> {
    return this.rooms.findIdByTitle(title, creatorId);
  }

  count(): Promise<number> {
    return this.rooms.count();
  }

  /** The room as each viewer sees it (e.g. to push a change of it); empty when the room is gone. */
  async viewsFor(viewerIds: string[], roomId: string): Promise<Map<string, RoomDto>> {
    if (viewerIds.length === 0) {
      return new Map();
    }
    const rows = await this.rooms.viewsFor(viewerIds, roomId);
    return new Map(rows.map((row) => [row.viewer_id, this.toDtos({ id: row.viewer_id }, [row])[0]]));
  }

  private async load(auth: AuthUser, roomId: string): Promise<RoomDto> {
    const row = await this.rooms.view(auth.id, roomId);
    if (!row) {
      throw notFound('Room');
    }
    return this.toDtos(auth, [row])[0];
  }

  private toDtos(auth: Pick<AuthUser, 'id'>, rows: RoomRow[]): RoomDto[] {
    return rows.map((row) => ({
      id: row.id,
      created: row.created.toISOString(),
      modified: row.modified.toISOString(),
      creator_id: row.creator_id,
      title: row.title,
      description: row.description,
      is_public: row.is_public,
      image: row.image,
      users: row.users,
      admins: row.admins,
      message_total_count: row.message_count,
      message_new_count: Math.max(row.message_count - row.seen_count, 0),
      mention_new_count: row.mention_new_count,
      last_message: row.last_message ? this.messages.dtoFromJson(auth, row.last_message) : null,
      is_muted: row.is_muted,
    }));
  }

  private async requireUsers(ids: string[]): Promise<string[]> {
    const unique = [...new Set(ids)];
    const existing = await this.users.existingIds(unique);
    const missing = unique.filter((id) => !existing.has(id));
    if (missing.length > 0) {
      throw invalid('users', `No user with id ${missing.join(', ')}`);
    }
    return unique;
  }
}
