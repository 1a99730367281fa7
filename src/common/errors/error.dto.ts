import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode } from './app-error';

export class ErrorEntryDto {
  @ApiProperty({ example: 'title must not be empty' })
  message: string;

  @ApiProperty({ example: 'invalid', description: 'Machine-readable code' })
  code: ErrorCode;

  @ApiPropertyOptional({ example: 'title', description: 'The request field at fault, when one is' })
  field?: string;
}

export class ErrorResponseDto {
  @ApiProperty({ type: [ErrorEntryDto] })
  errors: ErrorEntryDto[];
}
