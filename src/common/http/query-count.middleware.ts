import type { NextFunction, Request, Response } from 'express';
import { countQueriesOf, QueryCount } from '../database/query-counter';

export const QUERY_COUNT_HEADER = 'X-Db-Queries';

/** Gives the response its count, written into the header when the headers go out. */
function startCounting(response: Response): QueryCount {
  const count = new QueryCount();
  response.locals.queryCount = count;
  const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => Response;
  response.writeHead = ((...args: unknown[]) => {
    response.setHeader(QUERY_COUNT_HEADER, String(count.statements));
    return writeHead(...args);
  }) as Response['writeHead'];
  return count;
}

/**
 * Counts the SQL statements of each request and reports them in the `X-Db-Queries` response header
 * (EXPOSE_QUERY_COUNT, for tests and benchmarks). Register it before the body parser, so that every
 * response carries the header, and again after it: the parser resumes the request from stream events,
 * outside the async context the first registration started.
 */
export function queryCount() {
  return (_request: Request, response: Response, next: NextFunction): void => {
    const count = (response.locals.queryCount as QueryCount | undefined) ?? startCounting(response);
    countQueriesOf(count, next);
  };
}
