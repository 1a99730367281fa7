import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The websocket connection whose action is being handled, for the changes that action makes: a `seen`
 * frame goes to the user's other connections, not back to the one that marked.
 */
const origin = new AsyncLocalStorage<string>();

export const runAsAction = <T>(connectionId: string, work: () => Promise<T>): Promise<T> =>
  origin.run(connectionId, work);

export const actionOrigin = (): string | null => origin.getStore() ?? null;
