import { MATCH_START as S, MATCH_STOP as E, matchOffsets } from './search-matches';

describe('matchOffsets', () => {
  it('should give the offsets of each marked word in the body', () => {
    expect(matchOffsets('Coffee and more coffee', `${S}Coffee${E} and more ${S}coffee${E}`)).toEqual([
      [0, 6],
      [16, 22],
    ]);
  });

  it('should count UTF-16 code units, as JavaScript strings do', () => {
    const body = 'Ünïcode 🎉 café time';
    const [[start, end]] = matchOffsets(body, `Ünïcode 🎉 ${S}café${E} time`);
    expect(body.slice(start, end)).toBe('café');
    expect(start).toBe(11);
  });

  it('should keep offsets true where the headline rewrote other text', () => {
    const body = 'see <b>bold</b> plan';
    expect(matchOffsets(body, `see  bold  ${S}plan${E}`)).toEqual([[16, 20]]);
  });

  it('should give nothing for a headline without marks', () => {
    expect(matchOffsets('plain text', 'plain text')).toEqual([]);
  });
});
