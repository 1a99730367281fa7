import { ApiProperty } from '@nestjs/swagger';
import { TextField } from '../../common/validation/decorators';

export class TokenRequestDto {
  @TextField(150)
  username: string;

  @TextField(1024)
  password: string;
}

export class TokenDto {
  @ApiProperty({ description: 'A JWT (HS256) to send as `Authorization: Bearer <token>`' })
  token: string;
}

/** A page token: short-lived, for the pages' scripts. */
export class PageTokenDto extends TokenDto {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Seconds until it expires; fetch a new one before' })
  expires_in: number;
}
