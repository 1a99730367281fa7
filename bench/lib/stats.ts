/** Latency figures in milliseconds, as every workload reports them. */
export interface Percentiles {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  count: number;
}

/** Nearest-rank percentiles of raw samples (ms). */
export function percentiles(samples: number[]): Percentiles {
  if (samples.length === 0) {
    return { p50: NaN, p90: NaN, p95: NaN, p99: NaN, max: NaN, count: 0 };
  }
  const sorted = Float64Array.from(samples).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  return { p50: at(50), p90: at(90), p95: at(95), p99: at(99), max: sorted[sorted.length - 1], count: sorted.length };
}

/** A wall-clock timestamp in ms with sub-millisecond resolution, comparable between processes. */
export const nowMs = (): number => performance.timeOrigin + performance.now();

export const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Several load processes' percentiles as one: the worst of each (conservative, as exact merging would
 * need the raw samples), and all their samples counted.
 */
export function worstOf(parts: Percentiles[]): Percentiles {
  const worst = (pick: (p: Percentiles) => number) => Math.max(...parts.map(pick));
  return {
    p50: worst((p) => p.p50),
    p90: worst((p) => p.p90),
    p95: worst((p) => p.p95),
    p99: worst((p) => p.p99),
    max: worst((p) => p.max),
    count: parts.reduce((sum, p) => sum + p.count, 0),
  };
}

/** The slope of the least-squares line through the points (y units per x unit); 0 for fewer than two. */
export function leastSquaresSlope(points: { x: number; y: number }[]): number {
  if (points.length < 2) {
    return 0;
  }
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / points.length;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / points.length;
  const covariance = points.reduce((sum, p) => sum + (p.x - meanX) * (p.y - meanY), 0);
  const variance = points.reduce((sum, p) => sum + (p.x - meanX) ** 2, 0);
  return variance === 0 ? 0 : covariance / variance;
}
