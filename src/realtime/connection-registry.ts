/** Membership changes recorded while a user's rooms are being read, to be applied after. */
export interface PendingChanges {
  joined: Set<string>;
  left: Set<string>;
}

interface UserEntry<C> {
  connections: Set<C>;
  rooms: Set<string>;
  pending: PendingChanges | null;
}

/** Told when a room gets its first member connected here or loses its last, and likewise for users. */
export interface RegistryWatcher {
  roomWatched(roomId: string, watched: boolean): void;
  userWatched(userId: string, watched: boolean): void;
}

/**
 * This instance's websocket connections, by user and by room. Only rooms with a member connected
 * here are known, so an instance does no work for the others (and, through the watcher, subscribes
 * to the events of those rooms only).
 */
export class ConnectionRegistry<C> {
  private readonly users = new Map<string, UserEntry<C>>();
  private readonly rooms = new Map<string, Set<string>>();
  private readonly owners = new Map<C, string>();

  constructor(private readonly watcher?: RegistryWatcher) {}

  /** Registers a connection; returns true when it is the user's first on this instance. */
  add(userId: string, connection: C): boolean {
    this.owners.set(connection, userId);
    const entry = this.users.get(userId);
    if (entry) {
      entry.connections.add(connection);
      return false;
    }
    this.users.set(userId, { connections: new Set([connection]), rooms: new Set(), pending: null });
    this.watcher?.userWatched(userId, true);
    return true;
  }

  /**
   * Before reading users' rooms from the database (a new connection's, or the periodic recheck's):
   * membership changes from now on are recorded, to be applied on top of what is read. Returns each
   * user's record, for `setRooms`.
   */
  startReading(userIds: string[]): Map<string, PendingChanges> {
    const reads = new Map<string, PendingChanges>();
    for (const userId of userIds) {
      const entry = this.users.get(userId);
      if (entry) {
        entry.pending ??= { joined: new Set(), left: new Set() };
        reads.set(userId, entry.pending);
      }
    }
    return reads;
  }

  /**
   * Makes the user's rooms those read from the database, with the joins and leaves that arrived while
   * they were being read applied on top. Does nothing when `read` (from `startReading`) is no longer the
   * one pending: the user reconnected meanwhile, and what was read may predate changes their new
   * connection did not record.
   */
  setRooms(userId: string, roomIds: string[], read: PendingChanges): void {
    const entry = this.users.get(userId);
    if (!entry || entry.pending !== read) {
      return;
    }
    const { joined, left } = entry.pending;
    entry.pending = null;
    const rooms = new Set([...roomIds, ...joined].filter((roomId) => !left.has(roomId)));
    for (const roomId of [...entry.rooms]) {
      if (!rooms.has(roomId)) {
        entry.rooms.delete(roomId);
        this.unsubscribe(userId, roomId);
      }
    }
    for (const roomId of rooms) {
      this.subscribe(userId, entry, roomId);
    }
  }

  /** Unregisters a connection; returns its user and whether it was their last one here. */
  remove(connection: C): { userId: string; last: boolean } | null {
    const userId = this.owners.get(connection);
    if (userId === undefined) {
      return null;
    }
    this.owners.delete(connection);
    const entry = this.users.get(userId)!;
    entry.connections.delete(connection);
    if (entry.connections.size > 0) {
      return { userId, last: false };
    }
    for (const roomId of entry.rooms) {
      this.unsubscribe(userId, roomId);
    }
    this.users.delete(userId);
    this.watcher?.userWatched(userId, false);
    return { userId, last: true };
  }

  join(userId: string, roomId: string): void {
    const entry = this.users.get(userId);
    if (!entry) {
      return;
    }
    if (entry.pending) {
      entry.pending.joined.add(roomId);
      entry.pending.left.delete(roomId);
    }
    this.subscribe(userId, entry, roomId);
  }

  leave(userId: string, roomId: string): void {
    const entry = this.users.get(userId);
    if (!entry) {
      return;
    }
    if (entry.pending) {
      entry.pending.left.add(roomId);
      entry.pending.joined.delete(roomId);
    }
    entry.rooms.delete(roomId);
    this.unsubscribe(userId, roomId);
  }

  dropRoom(roomId: string): void {
    for (const userId of [...(this.rooms.get(roomId) ?? [])]) {
      this.leave(userId, roomId);
    }
    if (this.rooms.delete(roomId)) {
      this.watcher?.roomWatched(roomId, false);
    }
  }

  hasRoom(roomId: string): boolean {
    return this.rooms.has(roomId);
  }

  /** The connections of the room's members connected here, by user. */
  *recipients(roomId: string): Generator<[string, ReadonlySet<C>]> {
    for (const userId of this.rooms.get(roomId) ?? []) {
      const entry = this.users.get(userId);
      if (entry) {
        yield [userId, entry.connections];
      }
    }
  }

  /** The user's connections here (none: an empty set). */
  connectionsOf(userId: string): ReadonlySet<C> {
    return this.users.get(userId)?.connections ?? new Set();
  }

  connections(): IterableIterator<C> {
    return this.owners.keys();
  }

  userIds(): string[] {
    return [...this.users.keys()];
  }

  roomsOf(userId: string): string[] {
    return [...(this.users.get(userId)?.rooms ?? [])];
  }

  private subscribe(userId: string, entry: UserEntry<C>, roomId: string): void {
    entry.rooms.add(roomId);
    const members = this.rooms.get(roomId);
    if (members) {
      members.add(userId);
    } else {
      this.rooms.set(roomId, new Set([userId]));
      this.watcher?.roomWatched(roomId, true);
    }
  }

  private unsubscribe(userId: string, roomId: string): void {
    const members = this.rooms.get(roomId);
    members?.delete(userId);
    if (members?.size === 0) {
      this.rooms.delete(roomId);
      this.watcher?.roomWatched(roomId, false);
    }
  }
}
