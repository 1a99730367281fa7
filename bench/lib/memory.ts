import { leastSquaresSlope } from './stats';

/**
 * A process's memory over a soak, from two sources: its RSS (`VmRSS` of /proc/<pid>/status, sampled)
 * and V8's `--trace-gc` lines in its log (the heap in use and committed after each collection). RSS is
 * V8's committed heap plus everything outside it (code, Buffers, native libraries, the allocator's
 * slack); V8 sizes its committed heap by its own rules, well above what is live, and gives the excess
 * back only when allocation slows. What a leak moves is the heap still in use after a full collection,
 * or the memory outside the heap: those two are judged, each against the same rule.
 */

/** One reading: ms since the measurement began, and MB. */
export interface MemoryPoint {
  atMs: number;
  mb: number;
}

/** One collection from `--trace-gc`: ms since the process started, heap in use and committed after it (MB). */
export interface GcEvent {
  atMs: number;
  full: boolean;
  usedMb: number;
  committedMb: number;
}

/** e.g. `[pid:0x…]   8637 ms: Mark-Compact 70.2 (102.7) -> 52.0 (102.5) MB, …` (a Scavenge likewise). */
const GC_LINE =
  /^\[\d+:0x[0-9a-f]+\]\s+(\d+) ms: ([A-Za-z -]+?)(?: \([a-z ]+\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \(([\d.]+)\) MB/;

/** The collections `--trace-gc` printed into a log (other lines are passed over). */
export function parseGcTrace(log: string): GcEvent[] {
  return log.split('\n').flatMap((line) => {
    const match = GC_LINE.exec(line);
    return match
      ? [
          {
            atMs: Number(match[1]),
            full: match[2] === 'Mark-Compact',
            usedMb: Number(match[3]),
            committedMb: Number(match[4]),
          },
        ]
      : [];
  });
}

export interface Trend {
  first: number;
  last: number;
  max: number;
  /** Least squares over the points after the warm-up, in MB per minute. */
  slopeMbPerMinute: number;
  /** Means of the first window after the warm-up and of the last window. */
  afterWarmup: number;
  lastWindow: number;
  points: number;
}

/** How a series moved: ends, peak, its slope once warm, and the first window after the warm-up against the last. */
export function trendOf(points: MemoryPoint[], warmupMs: number, windowMs: number): Trend {
  const end = points.length > 0 ? points[points.length - 1].atMs : 0;
  const warm = points.filter((point) => point.atMs >= warmupMs);
  const mean = (part: MemoryPoint[]) =>
    part.length === 0 ? NaN : part.reduce((sum, point) => sum + point.mb, 0) / part.length;
  return {
    first: points.length > 0 ? points[0].mb : NaN,
    last: points.length > 0 ? points[points.length - 1].mb : NaN,
    max: points.length > 0 ? Math.max(...points.map((point) => point.mb)) : NaN,
    slopeMbPerMinute: leastSquaresSlope(warm.map((point) => ({ x: point.atMs / 60_000, y: point.mb }))),
    afterWarmup: mean(warm.filter((point) => point.atMs < warmupMs + windowMs)),
    lastWindow: mean(points.filter((point) => point.atMs > end - windowMs)),
    points: points.length,
  };
}

/** The rule each judged series must keep: no slope above this once warm, and no growth past this share. */
export const MAX_SLOPE_MB_PER_MINUTE = 1;
export const MAX_LAST_WINDOW_GROWTH = 0.1;

export const isFlat = (trend: Trend): boolean =>
  trend.points > 0 &&
  trend.slopeMbPerMinute <= MAX_SLOPE_MB_PER_MINUTE &&
  trend.lastWindow <= trend.afterWarmup * (1 + MAX_LAST_WINDOW_GROWTH);

export interface MemoryTrends {
  rss: Trend;
  /** V8's heap in use after each full collection. */
  liveHeap: Trend;
  /** RSS less V8's committed heap at the same moment (as of the collection just before the sample). */
  outsideHeap: Trend;
}

/**
 * The three series of a soak. `rss` is sampled with `atMs` since the soak began; `gc` comes with `atMs`
 * since the process started, which was `startOffsetMs` before the soak began.
 */
export function memoryTrends(
  rss: MemoryPoint[],
  gc: GcEvent[],
  startOffsetMs: number,
  warmupMs: number,
  windowMs: number,
): MemoryTrends {
  const events = gc.map((event) => ({ ...event, atMs: event.atMs - startOffsetMs }));
  const during = (atMs: number) => atMs >= 0 && atMs <= (rss.length > 0 ? rss[rss.length - 1].atMs : 0);
  const outside = rss.flatMap((sample) => {
    const before = events.filter((event) => event.atMs <= sample.atMs);
    return before.length === 0 ? [] : [{ atMs: sample.atMs, mb: sample.mb - before[before.length - 1].committedMb }];
  });
  return {
    rss: trendOf(rss, warmupMs, windowMs),
    liveHeap: trendOf(
      events
        .filter((event) => event.full && during(event.atMs))
        .map((event) => ({ atMs: event.atMs, mb: event.usedMb })),
      warmupMs,
      windowMs,
    ),
    outsideHeap: trendOf(outside, warmupMs, windowMs),
  };
}
