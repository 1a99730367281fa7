import { applyDecorators, CanActivate, ExecutionContext, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { RATE_LIMIT_KEYS, RateLimitName, RateLimitsService } from './rate-limits.service';

const THROTTLE = Symbol('throttle');

/**
 * Spends one unit of the route's budget before anything else of the request is done (after
 * authentication, which names the user). Over the budget: 429 `throttled` with `Retry-After`.
 */
@Injectable()
export class ThrottleGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: RateLimitsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const limit = this.reflector.get<RateLimitName | undefined>(THROTTLE, context.getHandler());
    if (limit === undefined) {
      return true;
    }
    const request = context.switchToHttp().getRequest<Request>();
    const key = RATE_LIMIT_KEYS[limit] === 'user' ? (request.user as { id: string } | undefined)?.id : request.ip;
    // No user means the authentication guard has already refused the request; no address cannot happen
    // on a live socket, and is counted as one unknown client rather than let through.
    await this.limits.consume(limit, key ?? 'unknown');
    return true;
  }
}

/** The route spends the named budget (see `RateLimitsService`); documented as a possible 429. */
export const Throttle = (limit: RateLimitName) =>
  applyDecorators(SetMetadata(THROTTLE, limit), UseGuards(ThrottleGuard), ApiErrors(429));
