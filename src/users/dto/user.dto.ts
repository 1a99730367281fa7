import { ApiProperty } from '@nestjs/swagger';
import { ApiIdProperty } from '../../common/openapi/properties';
import { MinLengthOf, Pattern, TextField, Trim } from '../../common/validation/decorators';
import { IsOptional, IsEmail, ValidateIf } from 'class-validator';
import type { User } from '../user.entity';
import type { AuthUser } from '../../auth/auth-user';

export const USERNAME_PATTERN = /^[A-Za-z0-9_.@+-]+$/;
export const MIN_PASSWORD_LENGTH = 8;

export class UserDto {
  @ApiIdProperty()
  id: string;

  @ApiProperty({ example: 'alice' })
  username: string;

  @ApiProperty({ example: 'Alice', description: 'May be empty' })
  first_name: string;

  @ApiProperty({ example: 'alice@example.com', description: 'May be empty' })
  email: string;
}

export const mapUser = (user: User | AuthUser): UserDto => ({
  id: user.id,
  username: user.username,
  first_name: user.firstName,
  email: user.email,
});

export class RegisterUserDto {
  @TextField(150, { description: 'Letters, digits and @ . + - _' })
  @Trim()
  @Pattern(USERNAME_PATTERN, 'username may contain only letters, digits and @ . + - _')
  username: string;

  @TextField(1024)
  @MinLengthOf(MIN_PASSWORD_LENGTH, `password must be at least ${MIN_PASSWORD_LENGTH} characters long`)
  password: string;

  @TextField(150, { optional: true })
  @Trim()
  first_name?: string;

  @TextField(254, { optional: true })
  @Trim()
  @IsOptional()
  @ValidateIf((dto: RegisterUserDto) => dto.email !== '')
  @IsEmail({}, { message: 'email must be an email address' })
  email?: string;
}
