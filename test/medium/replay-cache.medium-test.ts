import { expect } from 'expect';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { ChangeEntry } from '../../src/realtime/chat-changes';
import type { ChangeEvent } from '../../src/realtime/chat-events';
import { ReplayCache } from '../../src/realtime/replay-cache';
import { EventFrames } from '../../src/realtime/server-frames';

const roomId = randomUUID();
const event = (seq: number): ChangeEvent => ({
  type: 'change',
  roomId,
  seq,
  messages: [],
  roomUsers: [],
  deletedMessageIds: [randomUUID()],
  roomChanged: false,
  deletedRoom: false,
  lostAccess: [],
});
const seqs = (frames: EventFrames[]) => frames.map((built) => (built.event as ChangeEvent).seq);
const entry = (seq: number): ChangeEntry => ({ roomId, seq, kind: 'message_deleted', entityId: randomUUID() });

/** A cache whose builds are counted: each build reads the log once. */
function counted(ttlMs?: number, maxEntries?: number) {
  const builds: number[][] = [];
  const cache = new ReplayCache(
    (entries) => {
      builds.push(entries.map((built) => built.seq));
      return Promise.resolve(entries.map((built) => event(built.seq)));
    },
    ttlMs,
    maxEntries,
  );
  return { cache, builds };
}

/** Pure, but EventFrames maps with the DTOs, whose OpenAPI decorators load only in compiled code. */
describe('ReplayCache', () => {
  it('should build each change once for resumes that ask for overlapping spans', async () => {
    const { cache, builds } = counted();
    await cache.framesOf([1, 2, 3].map(entry));
    const frames = await cache.framesOf([2, 3, 4].map(entry));
    expect(seqs(frames)).toEqual([2, 3, 4]);
    expect(builds).toEqual([[1, 2, 3], [4]]);
  });

  it('should answer the unbroken run of built changes after a seq, up to a bound', async () => {
    const { cache } = counted();
    await cache.framesOf([1, 2, 3, 5].map(entry));
    const run = cache.cachedRun(roomId, 0, 10);
    expect(run.seqs).toBe(3); // 4 is missing: the log is read from there
    expect(seqs(await run.frames)).toEqual([1, 2, 3]);
    expect(cache.cachedRun(roomId, 0, 2).seqs).toBe(2);
    expect(cache.cachedRun(roomId, 3, 10).seqs).toBe(0);
    expect(cache.cachedRun(randomUUID(), 0, 10).seqs).toBe(0);
  });

  it('should replay a change as it was pushed live, without building it', async () => {
    const { cache, builds } = counted();
    const live = new EventFrames(event(7));
    cache.remember(live);
    const run = cache.cachedRun(roomId, 6, 7);
    expect(run.seqs).toBe(1);
    expect(await run.frames).toEqual([live]);
    expect(await cache.framesOf([entry(7)])).toEqual([live]);
    expect(builds).toEqual([]);
  });

  it('should keep nothing but changes', () => {
    const { cache } = counted();
    cache.remember(new EventFrames({ type: 'presence', roomId, roomUsers: [] }));
    expect(cache.cachedRun(roomId, 0, 1).seqs).toBe(0);
  });

  it('should forget changes after the time it keeps them', async () => {
    const { cache, builds } = counted(30);
    cache.remember(new EventFrames(event(1)));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(cache.cachedRun(roomId, 0, 1).seqs).toBe(0);
    await cache.framesOf([entry(1)]);
    expect(builds).toEqual([[1]]);
  });

  it('should keep at most its number of changes, dropping the oldest', async () => {
    const { cache } = counted(undefined, 3);
    for (const seq of [1, 2, 3, 4]) {
      cache.remember(new EventFrames(event(seq)));
    }
    expect(cache.cachedRun(roomId, 0, 4).seqs).toBe(0);
    expect(cache.cachedRun(roomId, 1, 4).seqs).toBe(3);
    await cache.framesOf([5, 6].map(entry));
    expect(cache.cachedRun(roomId, 3, 6).seqs).toBe(3);
    expect(cache.cachedRun(roomId, 2, 6).seqs).toBe(0);
  });
});
