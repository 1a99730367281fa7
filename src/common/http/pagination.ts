import { createParamDecorator, ExecutionContext, Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { Request } from 'express';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

const WHOLE_NUMBER = /^\d{1,9}$/;

export class PageQueryDto {
  // Whole numbers of up to nine digits, as the patterns below accept; no schema `default` (see BooleanField).
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 999_999_999,
    description: `Results per page (default ${DEFAULT_LIMIT}); more than ${MAX_LIMIT} is lowered to ${MAX_LIMIT}`,
  })
  @IsOptional()
  @Matches(/^[1-9]\d{0,8}$/, { message: 'limit must be a whole number of at least 1' })
  limit?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 999_999_999,
    description: 'Results to skip (default 0)',
  })
  @IsOptional()
  @Matches(WHOLE_NUMBER, { message: 'offset must be a whole number of at least 0' })
  offset?: string;
}

export interface PageRequest {
  limit: number;
  offset: number;
  /** The URL of the current request; `next`/`previous` are built from it. */
  url: URL;
}

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/**
 * A page's `LIMIT … OFFSET …` in SQL: the size written out (a validated whole number, at most
 * MAX_LIMIT) so that PostgreSQL plans for the page asked for; the offset as parameter `$offsetParameter`.
 */
export const limitOffset = (page: PageRequest, offsetParameter: number): string =>
  `LIMIT ${page.limit} OFFSET $${offsetParameter}`;

/** Limits above the maximum are lowered to it, as clients of the original expect. */
export function toPageRequest(query: PageQueryDto, url: URL): PageRequest {
  const limit = Math.min(query.limit === undefined ? DEFAULT_LIMIT : Number(query.limit), MAX_LIMIT);
  const offset = query.offset === undefined ? 0 : Number(query.offset);
  return { limit, offset, url };
}

function withPage(url: URL, limit: number, offset: number): string {
  const next = new URL(url);
  next.searchParams.set('limit', String(limit));
  if (offset > 0) {
    next.searchParams.set('offset', String(offset));
  } else {
    next.searchParams.delete('offset');
  }
  return next.toString();
}

export function toPage<T>(request: PageRequest, count: number, results: T[]): Page<T> {
  const { limit, offset, url } = request;
  return {
    count,
    next: offset + limit < count ? withPage(url, limit, offset + limit) : null,
    previous: offset > 0 ? withPage(url, limit, Math.max(offset - limit, 0)) : null,
    results,
  };
}

/** The absolute URL of the current request, as the client addressed it. */
export const RequestUrl = createParamDecorator((_: unknown, context: ExecutionContext): URL => {
  const request = context.switchToHttp().getRequest<Request>();
  return new URL(request.originalUrl, `${request.protocol}://${request.get('host') ?? 'localhost'}`);
});

/** An OpenAPI schema class for `Page<T>` of a given item DTO. */
export function PageDto<T>(item: Type<T>): Type<Page<T>> {
  class PageOfItems implements Page<T> {
    @ApiProperty({ type: 'integer', minimum: 0, example: 1, description: 'All results, over every page' })
    count: number;

    @ApiProperty({ type: 'string', format: 'uri', nullable: true, example: null, description: 'The next page' })
    next: string | null;

    @ApiProperty({ type: 'string', format: 'uri', nullable: true, example: null, description: 'The previous page' })
    previous: string | null;

    @ApiProperty({ type: [item] })
    results: T[];
  }
  Object.defineProperty(PageOfItems, 'name', { value: `${item.name.replace(/Dto$/, '')}PageDto` });
  return PageOfItems;
}
