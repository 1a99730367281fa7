import { Percentiles, percentiles, worstOf } from './stats';

/** How one kind of request or socket action went: outcomes (HTTP status, ack, error code) and latency. */
export interface KindFigures {
  outcomes: Record<string, number>;
  latency: Percentiles;
}

/** Counts outcomes and round trips per kind of request, in one load process. */
export class Tally {
  private readonly kinds = new Map<string, { outcomes: Record<string, number>; samples: number[] }>();

  record(kind: string, outcome: string | number, ms: number): void {
    let entry = this.kinds.get(kind);
    if (!entry) {
      entry = { outcomes: {}, samples: [] };
      this.kinds.set(kind, entry);
    }
    entry.outcomes[outcome] = (entry.outcomes[outcome] ?? 0) + 1;
    entry.samples.push(ms);
  }

  figures(): Record<string, KindFigures> {
    return Object.fromEntries(
      [...this.kinds].map(([kind, { outcomes, samples }]) => [kind, { outcomes, latency: percentiles(samples) }]),
    );
  }
}

/** Several load processes' figures as one: outcomes added up, latency as `worstOf` merges it. */
export function mergeFigures(parts: Record<string, KindFigures>[]): Record<string, KindFigures> {
  const kinds = new Set(parts.flatMap((part) => Object.keys(part)));
  return Object.fromEntries(
    [...kinds].sort().map((kind) => {
      const present = parts.flatMap((part) => (part[kind] ? [part[kind]] : []));
      const outcomes: Record<string, number> = {};
      for (const figures of present) {
        for (const [outcome, count] of Object.entries(figures.outcomes)) {
          outcomes[outcome] = (outcomes[outcome] ?? 0) + count;
        }
      }
      return [kind, { outcomes, latency: worstOf(present.map((figures) => figures.latency)) }];
    }),
  );
}

/** What of a message a member must end up with: its body, images and reaction counts (not per-viewer fields). */
export interface MessageState {
  body: string;
  images: unknown[];
  reaction_counts: { body: string; count: number }[];
}

export const messageSignature = (message: MessageState): string =>
  [
    message.body,
    message.images.length,
    message.reaction_counts
      .map((count) => `${count.body}:${count.count}`)
      .sort()
      .join(','),
  ].join('\u0000');

/** Words the soak's bodies are made of, so that its searches find something. */
export const SOAK_WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];

export const soakBody = (n: number): string =>
  `soak ${SOAK_WORDS[n % SOAK_WORDS.length]} ${SOAK_WORDS[Math.floor(n / SOAK_WORDS.length) % SOAK_WORDS.length]} ${n}`;
