import { applyDecorators } from '@nestjs/common';
import { ApiResponse, type HeadersObject } from '@nestjs/swagger';
import { ERROR_CODES, statusOf } from '../errors/app-error';
import { ErrorResponseDto } from '../errors/error.dto';

/** The error statuses a route may document; each has codes in `ERROR_CODES` (410 is for resume gaps). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 429 | 503;

const DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: 'Invalid input; `field` names the offending field',
  401: 'Missing, expired or invalid token',
  403: 'Visible, but the caller may not do this',
  404: 'Not found, or not visible to the caller',
  409: 'Conflicts with existing data',
  410: 'Gone: no longer kept',
  413: 'Request body or upload too large',
  415: 'The request body is neither JSON nor, where an upload is taken, multipart/form-data',
  429: 'Over a rate limit (code `throttled`); `Retry-After` says in how many seconds to try again',
  503: 'Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again',
};

const RETRY_AFTER: HeadersObject = {
  'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 0 } },
};

const HEADERS: Partial<Record<ErrorStatus, HeadersObject>> = {
  401: {
    'WWW-Authenticate': {
      description: 'The scheme to authenticate with: `Bearer`',
      required: true,
      schema: { type: 'string', pattern: '^Bearer\\b' },
    },
  },
  429: RETRY_AFTER,
  503: RETRY_AFTER,
};

/** The codes an error of this status can carry, for the response's description. */
const codesOf = (status: number): string =>
  ERROR_CODES.filter((code) => statusOf(code) === status)
    .map((code) => `\`${code}\``)
    .join(', ');

/** Documents the error responses of a route, all in the one error shape, with their headers. */
export const ApiErrors = (...statuses: ErrorStatus[]) =>
  applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: codesOf(status) ? `${DESCRIPTIONS[status]} (code ${codesOf(status)})` : DESCRIPTIONS[status],
        type: ErrorResponseDto,
        headers: HEADERS[status],
      }),
    ),
  );
