import type { ChangeEntry } from './chat-changes';
import type { ChangeEvent } from './chat-events';
import { EventFrames } from './server-frames';

/** How long a built change stays shared between resumes. */
export const REPLAY_CACHE_MS = 10_000;

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
  ) {}

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
    }
    const frames = await Promise.all(entries.map((entry) => this.built.get(keyOf(entry))!.frames));
    return frames.filter((frame): frame is EventFrames => frame !== undefined);
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

const keyOf = (entry: ChangeEntry): string => `${entry.roomId}:${entry.seq}`;
