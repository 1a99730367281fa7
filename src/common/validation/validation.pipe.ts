import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { AppError, ErrorCode, ErrorEntry } from '../errors/app-error';
import { normalizeId } from './decorators';
import { findPayloadFault } from './payload-shape';

function codeOf(constraint: string): ErrorCode {
  switch (constraint) {
    case 'isDefined':
    case 'isNotEmpty':
      return 'required';
    case 'whitelistValidation':
      return 'unknown_field';
    default:
      return 'invalid';
  }
}

export function flattenValidationErrors(errors: ValidationError[], prefix = ''): ErrorEntry[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      code: codeOf(constraint),
      message: constraint === 'whitelistValidation' ? `${field} is not an accepted field` : message,
      field,
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** Path parameters named like ids (`roomId`, `messageId`, ...): a UUID among them is lower-cased. */
const isIdParam = (metadata: ArgumentMetadata): boolean => metadata.type === 'param' && /Id$/.test(metadata.data ?? '');

/** Refuses payloads the transformers would choke on or silently misread, then validates as usual. */
class PayloadValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (isIdParam(metadata)) {
      return Promise.resolve(normalizeId(value));
    }
    const fault = metadata.type === 'body' || metadata.type === 'query' ? findPayloadFault(value) : null;
    if (fault) {
      throw AppError.many([fault]);
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

export function createValidationPipe(): ValidationPipe {
  return new PayloadValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      const entries = flattenValidationErrors(errors);
      return entries.length > 0 ? AppError.many(entries) : new AppError('invalid', 'The request is not valid');
    },
  });
}
