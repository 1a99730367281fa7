import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';
import { MessageDto } from './message.dto';

/** Longer queries are not words someone looks for, and each word costs an index lookup. */
export const MAX_SEARCH_QUERY_LENGTH = 256;

export class SearchQueryDto extends PageQueryDto {
  @ApiProperty({
    description:
      'The words to find (web search syntax: `"a phrase"`, `or`, `-excluded`), matched by PostgreSQL full-text ' +
      `search in the SEARCH_LANGUAGE configuration; at most ${MAX_SEARCH_QUERY_LENGTH} characters`,
    example: 'lunch tomorrow',
  })
  @IsOptional()
  @IsString({ message: 'q must be a string' })
  q?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Search only this room: one the caller is a member of, or any public room',
  })
  @IsOptional()
  @IsString({ message: 'room_id must be a string' })
  room_id?: string;
}

export class SearchResultDto extends MessageDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2 },
    example: [[0, 5]],
    description:
      'Where the matched words are in `body`: `[start, end]` offsets in UTF-16 code units (as JavaScript ' +
      'indexes strings), end exclusive, in order',
  })
  matches: [number, number][];
}
