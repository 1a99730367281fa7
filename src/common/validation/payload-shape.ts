import type { ErrorEntry } from '../errors/app-error';

/** Far deeper than any request of the API (an object holding a list of ids is two levels). */
export const MAX_PAYLOAD_DEPTH = 16;

/** Names that no field of the API has, and that mean something to every JavaScript object. */
const isReservedKey = (key: string): boolean => key === '__proto__' || Object.hasOwn(Object.prototype, key);

/**
 * Checks a parsed JSON body or query before it is turned into a DTO: nesting deep enough to exhaust
 * the stack of the recursive transformers, and keys such as `constructor` or `__proto__`, which the
 * transformers drop or mistake for known fields instead of refusing them. Iterative, so that the
 * check itself cannot overflow. Returns the first fault, or null.
 */
export function findPayloadFault(payload: unknown): ErrorEntry | null {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: payload, path: '', depth: 0 }];
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop()!;
    if (typeof value !== 'object' || value === null) {
      continue;
    }
    if (depth >= MAX_PAYLOAD_DEPTH) {
      return { code: 'invalid', message: `The request is nested more than ${MAX_PAYLOAD_DEPTH} levels deep` };
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = Array.isArray(value) ? path : path ? `${path}.${key}` : key;
      if (!Array.isArray(value) && isReservedKey(key)) {
        return { code: 'unknown_field', message: `${childPath} is not an accepted field`, field: childPath };
      }
      pending.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return null;
}
