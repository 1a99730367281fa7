/** Put around matched words by `ts_headline`: private-use characters, which no client should send. */
export const MATCH_START = '\uE000';
export const MATCH_STOP = '\uE001';

/**
 * The `[start, end)` offsets (UTF-16 code units, as JavaScript indexes strings) in `body` of the words
 * that `headline` (the body as `ts_headline` returned it, matched words between the markers) marks.
 * Each marked word is looked for in the body from where the previous one ended, so that text the
 * headline rewrote (it turns HTML-like tags into spaces) cannot shift the offsets.
 */
export function matchOffsets(body: string, headline: string): [number, number][] {
  const matches: [number, number][] = [];
  let from = 0;
  let position = headline.indexOf(MATCH_START);
  while (position !== -1) {
    const stop = headline.indexOf(MATCH_STOP, position + 1);
    if (stop === -1) {
      break;
    }
    const word = headline.slice(position + 1, stop);
    const at = word === '' ? -1 : body.indexOf(word, from);
    if (at !== -1) {
      matches.push([at, at + word.length]);
      from = at + word.length;
    }
    position = headline.indexOf(MATCH_START, stop + 1);
  }
  return matches;
}
