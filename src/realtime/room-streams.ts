import type { ChangeEvent } from './chat-events';

/** At most this many missed changes of a room are read back at once; clients fill a larger gap themselves. */
export const MAX_GAP_FILL = 500;

export interface RoomStreamsOptions {
  /** Whether anyone connected here receives the room (else its events are skipped). */
  watched(roomId: string): boolean;
  /** The room's change events after `after` up to `upTo`, from the change log. */
  fill(roomId: string, after: number, upTo: number): Promise<ChangeEvent[]>;
  deliver(event: ChangeEvent): void | Promise<void>;
  onError(error: unknown): void;
}

/**
 * Delivers each room's change events on this instance in `seq` order, each once: an event already
 * delivered is dropped, and one that skips seqs (lost by the broker, or overtaken by another instance's
 * publication) first has the missing ones read from the change log. Events of one room are handled one
 * at a time; rooms do not wait for each other.
 */
export class RoomStreams {
  private readonly last = new Map<string, number>();
  private readonly queues = new Map<string, ChangeEvent[]>();

  constructor(private readonly options: RoomStreamsOptions) {}

  accept(event: ChangeEvent): void {
    const queue = this.queues.get(event.roomId);
    if (queue) {
      queue.push(event);
      return;
    }
    const queued = [event];
    this.queues.set(event.roomId, queued);
    void this.run(event.roomId, queued);
  }

  /** The latest seq delivered here for the room (undefined: none since it was last watched). */
  lastSeq(roomId: string): number | undefined {
    return this.last.get(roomId);
  }

  private async run(roomId: string, queue: ChangeEvent[]): Promise<void> {
    try {
      for (let event = queue.shift(); event; event = queue.shift()) {
        await this.handle(event);
      }
    } finally {
      this.queues.delete(roomId);
    }
  }

  private async handle(event: ChangeEvent): Promise<void> {
    const { roomId, seq } = event;
    if (!this.options.watched(roomId)) {
      this.last.delete(roomId); // nobody here to keep in step; start afresh when someone is
      return;
    }
    const last = this.last.get(roomId);
    if (last !== undefined && seq <= last) {
      return;
    }
    try {
      if (last !== undefined && seq > last + 1) {
        const from = Math.max(last, seq - 1 - MAX_GAP_FILL);
        for (const missed of await this.options.fill(roomId, from, seq - 1)) {
          await this.options.deliver(missed);
          this.last.set(roomId, missed.seq);
        }
      }
      await this.options.deliver(event);
    } catch (error) {
      this.options.onError(error);
    }
    this.last.set(roomId, seq);
  }
}
