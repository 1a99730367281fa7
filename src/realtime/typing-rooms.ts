import type { TypingFrame } from './protocol';

/** How long someone counts as typing after their last `typing` action. */
export const TYPING_TTL_MS = 6000;

type Typists = TypingFrame['typing'];

/**
 * Who is typing in each room with members connected here. Every change of a room's list (someone
 * starts, or someone's typing expires) is handed to `changed` with the user it concerns, who is not told.
 */
export class TypingRooms {
  private readonly rooms = new Map<string, Map<string, { name: string; until: number }>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly changed: (roomId: string, typists: Typists, concerning: string) => void,
    private readonly ttlMs = TYPING_TTL_MS,
  ) {}

  typed(roomId: string, userId: string, name: string): void {
    const room = this.rooms.get(roomId) ?? new Map<string, { name: string; until: number }>();
    this.rooms.set(roomId, room);
    room.set(userId, { name, until: Date.now() + this.ttlMs });
    this.changed(roomId, this.list(room), userId);
    this.schedule(roomId);
  }

  stop(): void {
    for (const timer of this.timers.values()) {
      clearTimeout(timer);
    }
    this.timers.clear();
    this.rooms.clear();
  }

  private list(room: Map<string, { name: string }>): Typists {
    return [...room].map(([user_id, { name }]) => ({ user_id, name }));
  }

  private schedule(roomId: string): void {
    clearTimeout(this.timers.get(roomId));
    const room = this.rooms.get(roomId);
    if (!room || room.size === 0) {
      this.rooms.delete(roomId);
      this.timers.delete(roomId);
      return;
    }
    const next = Math.min(...[...room.values()].map((typist) => typist.until));
    const timer = setTimeout(() => this.expire(roomId), Math.max(next - Date.now(), 0));
    timer.unref();
    this.timers.set(roomId, timer);
  }

  private expire(roomId: string): void {
    const room = this.rooms.get(roomId);
    const now = Date.now();
    for (const [userId, typist] of room ?? []) {
      if (typist.until <= now) {
        room!.delete(userId);
        this.changed(roomId, this.list(room!), userId);
      }
    }
    this.schedule(roomId);
  }
}
