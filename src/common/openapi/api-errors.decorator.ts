import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../errors/error.dto';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `field` names the offending field',
  401: 'Missing, expired or invalid token',
  403: 'Visible, but the caller may not do this',
  404: 'Not found, or not visible to the caller',
  409: 'Conflicts with existing data',
  413: 'Request body or upload too large',
  429: 'Over a rate limit (code `throttled`); `Retry-After` says in how many seconds to try again',
  503: 'Busy for now; `Retry-After` says in how many seconds to try again',
};

/** Documents the error responses of a route, all in the one error shape. */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', type: ErrorResponseDto }),
    ),
  );
