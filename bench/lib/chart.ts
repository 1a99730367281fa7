import type { Percentiles } from './stats';

export interface ChartRow {
  label: string;
  latency: Percentiles;
  /** The workload's latency target in ms, drawn as a tick when there is one. */
  targetMs?: number;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Latency percentiles per workload on a logarithmic axis (0.1 ms to 10 s), written by hand: a bar
 * from p50 to p99 with marks at p50, p90, p95 and p99, and the target as a red tick.
 */
export function latencyChart(title: string, rows: ChartRow[]): string {
  const left = 230;
  const width = 560;
  const top = 50;
  const rowHeight = 34;
  const height = top + rows.length * rowHeight + 50;
  const minLog = -1;
  const maxLog = 4;
  const x = (ms: number) => left + ((Math.log10(Math.max(ms, 0.1)) - minLog) / (maxLog - minLog)) * width;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + 40}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold">${escape(title)}</text>`,
  ];
  for (let power = minLog; power <= maxLog; power++) {
    const ms = 10 ** power;
    const position = x(ms).toFixed(1);
    parts.push(
      `<line x1="${position}" y1="${top - 8}" x2="${position}" y2="${top + rows.length * rowHeight}" stroke="#ddd"/>`,
      `<text x="${position}" y="${top + rows.length * rowHeight + 16}" text-anchor="middle" fill="#555">${ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`}</text>`,
    );
  }
  rows.forEach((row, index) => {
    const y = top + index * rowHeight + rowHeight / 2;
    const { p50, p90, p95, p99 } = row.latency;
    parts.push(`<text x="${left - 10}" y="${y + 4}" text-anchor="end">${escape(row.label)}</text>`);
    if (Number.isFinite(p50) && Number.isFinite(p99)) {
      parts.push(
        `<rect x="${x(p50).toFixed(1)}" y="${y - 7}" width="${Math.max(1, x(p99) - x(p50)).toFixed(1)}" height="14" fill="#9ecae1"/>`,
      );
      for (const [name, value, colour] of [
        ['p50', p50, '#08519c'],
        ['p90', p90, '#3182bd'],
        ['p95', p95, '#3182bd'],
        ['p99', p99, '#08306b'],
      ] as const) {
        if (Number.isFinite(value)) {
          parts.push(
            `<line x1="${x(value).toFixed(1)}" y1="${y - 9}" x2="${x(value).toFixed(1)}" y2="${y + 9}" stroke="${colour}" stroke-width="2"><title>${name} ${value.toFixed(2)} ms</title></line>`,
          );
        }
      }
      parts.push(`<text x="${(x(p99) + 6).toFixed(1)}" y="${y + 4}" fill="#333">p99 ${p99.toFixed(1)} ms</text>`);
    }
    if (row.targetMs !== undefined) {
      const position = x(row.targetMs).toFixed(1);
      parts.push(
        `<line x1="${position}" y1="${y - 12}" x2="${position}" y2="${y + 12}" stroke="#d62728" stroke-width="2" stroke-dasharray="3,2"><title>target ${row.targetMs} ms</title></line>`,
      );
    }
  });
  const legendY = height - 14;
  parts.push(
    `<text x="${left}" y="${legendY}" fill="#555">bar: p50 to p99; marks at p50, p90, p95, p99; red dashes: target</text>`,
    '</svg>',
  );
  return parts.join('\n') + '\n';
}
