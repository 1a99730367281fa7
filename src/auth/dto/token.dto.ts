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
