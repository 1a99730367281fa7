import { ApiProperty } from '@nestjs/swagger';

/**
 * Schema decorators for the properties of response DTOs, so that every id, timestamp, count and URL
 * is described the same way (and a generator types them alike).
 */

interface Described {
  description?: string;
}

/** A resource id: a UUID, to be treated as an opaque string. */
export const ApiIdProperty = (options: Described & { nullable?: boolean } = {}) =>
  ApiProperty({
    type: 'string',
    format: 'uuid',
    nullable: options.nullable,
    description: options.description,
    example: '8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11',
  });

/** A list of resource ids. */
export const ApiIdListProperty = (options: Described = {}) =>
  ApiProperty({ type: 'array', items: { type: 'string', format: 'uuid' }, description: options.description });

/** An ISO-8601 timestamp in UTC with milliseconds. */
export const ApiTimestampProperty = (options: Described & { nullable?: boolean } = {}) =>
  ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: options.nullable,
    description: options.description,
    example: '2026-11-23T10:00:00.000Z',
  });

/** A whole number of at least `minimum` (0 unless said). */
export const ApiIntegerProperty = (options: Described & { minimum?: number } = {}) =>
  ApiProperty({ type: 'integer', minimum: options.minimum ?? 0, description: options.description });

/** A URL as the API writes it: absolute, or path-absolute when no PUBLIC_URL is configured. */
export const ApiUrlProperty = (options: Described & { nullable?: boolean } = {}) =>
  ApiProperty({
    type: 'string',
    format: 'uri-reference',
    nullable: options.nullable,
    description: options.description,
  });
