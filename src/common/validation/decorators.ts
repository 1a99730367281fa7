import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateBy,
  ValidateIf,
} from 'class-validator';

/** The id format of every resource; a client must treat ids as opaque strings. */
export const ID_VERSION = 'all' as const;

export const isId = (value: unknown): value is string =>
  typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

/** The one spelling of an id: UUIDs match in any letter case, and are compared in lower case. */
export const normalizeId = (value: unknown): unknown => (isId(value) ? value.toLowerCase() : value);

/** Lower-cases a UUID (or each UUID of a list) before validation, so that `ABC…` finds `abc…`. */
export const LowerCaseId = () =>
  Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? value.map(normalizeId) : normalizeId(value)));

/**
 * An optional field may be left out, but not sent as `null` unless it is nullable: `null` where a
 * string, boolean or list belongs is a wrong type, not a way to say "unchanged" or "empty".
 */
const Omittable = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

/** PostgreSQL text cannot hold U+0000: such a string is refused here rather than failing in the database. */
export const NoNulCharacter = () =>
  ValidateBy({
    name: 'noNulCharacter',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && !value.includes('\u0000'),
      defaultMessage: () => '$property must not contain the NUL character',
    },
  });

/**
 * Each field decorator below declares the validation and the OpenAPI schema of a field together, so
 * that the document says what the validation does.
 */
export function IdField(
  options: { optional?: boolean; nullable?: boolean; description?: string } = {},
): PropertyDecorator {
  const message = { message: '$property must be a valid id' };
  const schema = { type: 'string', format: 'uuid', description: options.description } as const;
  return options.optional
    ? applyDecorators(
        ApiPropertyOptional({ ...schema, nullable: options.nullable }),
        LowerCaseId(),
        IsOptional(),
        IsUUID(ID_VERSION, message),
      )
    : applyDecorators(
        ApiProperty(schema),
        LowerCaseId(),
        IsDefined({ message: '$property is required' }),
        IsUUID(ID_VERSION, message),
      );
}

/** A client's own key for a request it may repeat (idempotency): 1–64 characters of `A-Za-z0-9_-`. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function ClientIdField(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: String, nullable: true, pattern: CLIENT_ID_PATTERN.source, description }),
    IsOptional(),
    IsString({ message: '$property must be a string' }),
    Matches(CLIENT_ID_PATTERN, { message: '$property must be 1 to 64 characters of A-Z, a-z, 0-9, _ and -' }),
  );
}

export function TextField(maxLength: number, options: { optional?: boolean; description?: string } = {}) {
  const base = [IsString({ message: '$property must be a string' }), MaxLength(maxLength), NoNulCharacter()];
  return options.optional
    ? applyDecorators(
        ApiPropertyOptional({ type: String, maxLength, description: options.description }),
        Omittable(),
        ...base,
      )
    : applyDecorators(
        ApiProperty({ type: String, maxLength, description: options.description }),
        IsDefined({ message: '$property is required' }),
        ...base,
      );
}

/**
 * A default is said in the description, not as the schema's `default`: generators such as
 * openapi-typescript type a field with a default as always present, also in requests.
 */
export function BooleanField(options: { optional?: boolean; description?: string } = {}) {
  const validator = IsBoolean({ message: '$property must be true or false' });
  return options.optional
    ? applyDecorators(ApiPropertyOptional({ type: Boolean, description: options.description }), Omittable(), validator)
    : applyDecorators(
        ApiProperty({ type: Boolean, description: options.description }),
        IsDefined({ message: '$property is required' }),
        validator,
      );
}

/** Trims surrounding white space of a string field before it is validated. */
export const Trim = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** A list of ids, at most `maxSize` long. */
export function IdListField(maxSize: number, options: { optional?: boolean; description?: string } = {}) {
  const base = [
    LowerCaseId(),
    IsArray({ message: '$property must be a list of ids' }),
    ArrayMaxSize(maxSize, { message: `$property may hold at most ${maxSize} ids` }),
    IsUUID(ID_VERSION, { each: true, message: '$property must contain only valid ids' }),
  ];
  const schema = {
    type: 'array',
    items: { type: 'string', format: 'uuid' },
    maxItems: maxSize,
    description: options.description,
  } as const;
  return options.optional
    ? applyDecorators(ApiPropertyOptional(schema), Omittable(), ...base)
    : applyDecorators(ApiProperty(schema), IsDefined({ message: '$property is required' }), ...base);
}

/** A string that holds more than white space. */
export const NotBlank = () =>
  applyDecorators(Matches(/\S/, { message: '$property must not be blank' }), ApiProperty({ pattern: '\\S' }));

/** A string matching `pattern` (anchor it to match the whole string). */
export const Pattern = (pattern: RegExp, message: string) =>
  applyDecorators(Matches(pattern, { message }), ApiProperty({ pattern: pattern.source }));

/** A string of at least `length` characters. */
export const MinLengthOf = (length: number, message: string) =>
  applyDecorators(MinLength(length, { message }), ApiProperty({ minLength: length }));
