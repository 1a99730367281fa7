import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { readCookie, SESSION_COOKIE } from './session-cookie';

/** The raw token in the pages' session cookie, or null. */
export const SessionToken = createParamDecorator((_: unknown, context: ExecutionContext): string | null =>
  readCookie(context.switchToHttp().getRequest<Request>().headers.cookie, SESSION_COOKIE),
);

/** The origin the visitor addressed, to build absolute URLs with. */
export const RequestOrigin = createParamDecorator((_: unknown, context: ExecutionContext): URL => {
  const request = context.switchToHttp().getRequest<Request>();
  return new URL(`${request.protocol}://${request.get('host') ?? 'localhost'}`);
});
