import type { ChangeEntry } from './chat-changes';
import type { ChangeEvent } from './chat-events';
import { EventFrames } from './server-frames';

/** How long a built change stays shared between resumes. */
export const REPLAY_CACHE_MS = 10_000;
/** At most this many changes are kept (the oldest go first): memory stays bounded under any write rate. */
export const REPLAY_CACHE_ENTRIES = 5_000;

/**
 * The change events (with their serialised frames) of recent resumes, shared: when a room's members
 * reconnect together, each change they missed is read and serialised once, not once per member. What a
 * frame shows was read after its change was written, so it is never older than the change.
 */
export class ReplayCache {
  private readonly built = new Map<string, { frames: Promise<EventFrames | undefined>; expires: number }>();

  constructor(
    private readonly build: (entries: ChangeEntry[]) => Promise<ChangeEvent[]>,
    private readonly ttlMs = REPLAY_CACHE_MS,
    private readonly maxEntries = REPLAY_CACHE_ENTRIES,
  ) {}

  /**
   * Keeps a change's frames as they were pushed live: members who reconnect in the next seconds are
   * replayed what the others were sent, without reading it back.
   */
  remember(frames: EventFrames): void {
    const { event } = frames;
    if (event.type !== 'change' || this.built.has(keyOf(event))) {
      return;
    }
    const now = Date.now();
    this.sweep(now);
    this.built.set(keyOf(event), { frames: Promise.resolve(frames), expires: now + this.ttlMs });
    this.trim();
  }

  /** The frames of these entries, in their order; those not built within the last TTL are built now, together. */
  async framesOf(entries: ChangeEntry[]): Promise<EventFrames[]> {
    const now = Date.now();
    this.sweep(now);
    const missing = entries.filter((entry) => !this.built.has(keyOf(entry)));
    if (missing.length > 0) {
      const events = this.build(missing).then(
        (built) => new Map(built.map((event) => [event.seq, new EventFrames(event)])),
      );
      for (const entry of missing) {
        const frames = events.then((bySeq) => bySeq.get(entry.seq));
        this.built.set(keyOf(entry), { frames, expires: now + this.ttlMs });
      }
      events.catch(() => missing.forEach((entry) => this.built.delete(keyOf(entry))));
      this.trim();
    }
    const frames = await Promise.all(entries.map((entry) => this.built.get(keyOf(entry))!.frames));
    return frames.filter((frame): frame is EventFrames => frame !== undefined);
  }

  /**
   * The frames of the room's changes from `after + 1` on, as far as they are built and unbroken (up to
   * `upTo`), and how many seqs that covers (0: the next one is not built; read the log).
   */
  cachedRun(roomId: string, after: number, upTo: number): { seqs: number; frames: Promise<EventFrames[]> } {
    this.sweep(Date.now());
    const found: Promise<EventFrames | undefined>[] = [];
    for (let seq = after + 1; seq <= upTo; seq++) {
      const item = this.built.get(keyOf({ roomId, seq }));
      if (!item) {
        break;
      }
      found.push(item.frames);
    }
    return {
      seqs: found.length,
      frames: Promise.all(found).then((frames) => frames.filter((frame): frame is EventFrames => frame !== undefined)),
    };
  }

  private trim(): void {
    for (const key of this.built.keys()) {
      if (this.built.size <= this.maxEntries) {
        break;
      }
      this.built.delete(key);
    }
  }

  private sweep(now: number): void {
    for (const [key, item] of this.built) {
      if (item.expires > now) {
        break; // inserted in time order
      }
      this.built.delete(key);
    }
  }
}

const keyOf = ({ roomId, seq }: { roomId: string; seq: number }): string => `${roomId}:${seq}`;
