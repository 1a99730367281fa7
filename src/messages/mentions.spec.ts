import { mentionCandidates, resolveMentions } from './mentions';

describe('mentions', () => {
  const members = new Map([
    ['alice', 'id-a'],
    ['bob.smith', 'id-b'],
    ['carol', 'id-c'],
  ]);

  it('should find nothing in a body without an @', () => {
    expect(mentionCandidates(['hello there'])).toEqual([]);
    expect(resolveMentions('hello there', members)).toEqual([]);
  });

  it('should name members by username in any letter case, once each, sorted', () => {
    expect(resolveMentions('@Carol and @alice, then @ALICE again', members)).toEqual(['id-a', 'id-c']);
  });

  it('should leave punctuation that ends a sentence out of the name, but keep dots inside it', () => {
    expect(mentionCandidates(['thanks @bob.smith.'])).toEqual(['bob.smith.', 'bob.smith']);
    expect(resolveMentions('thanks @bob.smith.', members)).toEqual(['id-b']);
    expect(resolveMentions('(@alice)', members)).toEqual(['id-a']);
  });

  it('should not take an e-mail address or an unknown name for a mention', () => {
    expect(resolveMentions('write to alice@example.com', members)).toEqual([]);
    expect(resolveMentions('@nobody @', members)).toEqual([]);
  });

  it('should gather the candidates of many bodies once', () => {
    expect(mentionCandidates(['@alice', 'hi @Alice', 'and @carol!']).sort()).toEqual(['alice', 'carol']);
  });
});
