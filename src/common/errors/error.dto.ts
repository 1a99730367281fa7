import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ERROR_CODES, ErrorCode } from './app-error';

export class ErrorEntryDto {
  @ApiProperty({ example: 'title must not be empty' })
  message: string;

  @ApiProperty({ enum: ERROR_CODES, enumName: 'ErrorCode', example: 'invalid', description: 'Machine-readable code' })
  code: ErrorCode;

  @ApiPropertyOptional({ example: 'title', description: 'The request field at fault, when one is' })
  field?: string;
}

export class ErrorResponseDto {
  @ApiProperty({ type: [ErrorEntryDto], minItems: 1, description: 'One entry per fault' })
  errors: ErrorEntryDto[];
}
