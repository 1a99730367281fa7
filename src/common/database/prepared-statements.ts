import { createHash } from 'node:crypto';
import pg from 'pg';

/** Statements one connection prepares at most; further ones run unnamed, planned at every call. */
export const MAX_PREPARED_PER_CONNECTION = 200;

/** Statement texts whose names are remembered, process-wide (the app has a few dozen). */
const MAX_REMEMBERED_NAMES = 2000;

const names = new Map<string, string>();

/** The name a statement is prepared under: the same text always gets the same name. */
export function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `dfc_${createHash('sha1').update(text).digest('base64url')}`;
    if (names.size >= MAX_REMEMBERED_NAMES) {
      names.clear();
    }
    names.set(text, name);
  }
  return name;
}

/**
 * A PostgreSQL connection that prepares its parameterised statements as named statements: each is
 * parsed and planned once per connection (PostgreSQL switches to a generic plan after five runs when
 * that costs no more), instead of at every call. Planning the room list or a message view took more
 * PostgreSQL time than running it.
 *
 * Only statements with parameters are prepared (a statement without any may be several statements,
 * as migrations are), and at most `MAX_PREPARED_PER_CONNECTION` per connection, so that statements
 * built with values in their text cannot grow a session without bound. Turned off with
 * DATABASE_PREPARED_STATEMENTS=false, e.g. behind a pooler in transaction mode that cannot keep them.
 */
export class PreparingClient extends pg.Client {
  /** The statements prepared on this connection. */
  readonly prepared = new Set<string>();
}

type Query = (this: pg.Client, ...args: unknown[]) => unknown;
// Called below with the connection as `this`.
// eslint-disable-next-line @typescript-eslint/unbound-method
const clientQuery = pg.Client.prototype.query as Query;

PreparingClient.prototype.query = function query(this: PreparingClient, ...args: unknown[]) {
  const [text, values, ...rest] = args;
  if (typeof text === 'string' && Array.isArray(values) && values.length > 0) {
    const name = statementName(text);
    if (this.prepared.has(name) || this.prepared.size < MAX_PREPARED_PER_CONNECTION) {
      this.prepared.add(name);
      return clientQuery.call(this, { name, text }, values, ...rest);
    }
  }
  return clientQuery.apply(this, args);
} as pg.Client['query'];
