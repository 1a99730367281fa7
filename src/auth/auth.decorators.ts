import { applyDecorators, createParamDecorator, ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { Request } from 'express';
import { isDatabaseUnavailable } from '../common/database/postgres-errors';
import { AppError } from '../common/errors/app-error';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import type { AuthUser } from './auth-user';

@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  override handleRequest<T>(error: unknown, user: T): T {
    // The token could not be checked (the database is down): 503, not a 401 that signs clients out.
    if (error instanceof AppError || isDatabaseUnavailable(error)) {
      throw error;
    }
    if (error || !user) {
      throw new AppError('not_authenticated', 'Authentication credentials were not provided or are not valid');
    }
    return user;
  }
}

/** The route needs `Authorization: Bearer <JWT>`; without a valid one it answers 401. */
export const Authenticated = () => applyDecorators(UseGuards(JwtAuthGuard), ApiBearerAuth(), ApiErrors(401));

export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthUser => context.switchToHttp().getRequest<Request>().user as AuthUser,
);
