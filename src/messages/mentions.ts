/**
 * `@username` in a message body. A username holds letters, digits and `@ . + - _`; a mention starts
 * at an `@` that does not follow such a character (so `bob@example.com` mentions nobody), and may be
 * followed by punctuation that ends a sentence (`@bob.`, `@bob-`), which is then not part of the name.
 */
const MENTION = /(?<![A-Za-z0-9_.@+-])@([A-Za-z0-9_.@+-]+)/g;

/** Characters that may end a sentence rather than a username. */
const TRAILING = /[.@+-]+$/;

/** The longest usernames a mention could name (the database's limit), so that a long word costs nothing. */
const MAX_USERNAME_LENGTH = 150;

/** Each `@` word of the body: the whole word, and the word without trailing punctuation (lower case). */
function mentionWords(body: string): { whole: string; trimmed: string }[] {
  if (!body.includes('@')) {
    return [];
  }
  const words: { whole: string; trimmed: string }[] = [];
  for (const match of body.matchAll(MENTION)) {
    const whole = match[1].toLowerCase();
    if (whole.length <= MAX_USERNAME_LENGTH) {
      words.push({ whole, trimmed: whole.replace(TRAILING, '') });
    }
  }
  return words;
}

/** The usernames (lower case) that the bodies' mentions could name, to look up among the room's members. */
export function mentionCandidates(bodies: string[]): string[] {
  const names = new Set<string>();
  for (const body of bodies) {
    for (const { whole, trimmed } of mentionWords(body)) {
      names.add(whole);
      if (trimmed !== '') {
        names.add(trimmed);
      }
    }
  }
  return [...names];
}

/**
 * The user ids a body mentions, sorted, given the room's members among the candidates (lower-case
 * username → user id): each word names the member with the whole word as username, else the one named
 * by the word without its trailing punctuation.
 */
export function resolveMentions(body: string, members: ReadonlyMap<string, string>): string[] {
  const ids = new Set<string>();
  for (const { whole, trimmed } of mentionWords(body)) {
    const userId = members.get(whole) ?? members.get(trimmed);
    if (userId) {
      ids.add(userId);
    }
  }
  return [...ids].sort();
}
