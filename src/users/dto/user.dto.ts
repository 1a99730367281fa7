import { ApiProperty } from '@nestjs/swagger';
import { Matches, MinLength } from 'class-validator';
import { TextField, Trim } from '../../common/validation/decorators';
import { IsOptional, IsEmail, ValidateIf } from 'class-validator';
import type { User } from '../user.entity';
import type { AuthUser } from '../../auth/auth-user';

export const USERNAME_PATTERN = /^[A-Za-z0-9_.@+-]+$/;
export const MIN_PASSWORD_LENGTH = 8;

export class UserDto {
  @ApiProperty({ example: '8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11' })
  id: string;

  @ApiProperty({ example: 'alice' })
  username: string;

  @ApiProperty({ example: 'Alice' })
  first_name: string;

  @ApiProperty({ example: 'alice@example.com' })
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
  @Matches(USERNAME_PATTERN, { message: 'username may contain only letters, digits and @ . + - _' })
  username: string;

  @TextField(1024)
  @MinLength(MIN_PASSWORD_LENGTH, { message: `password must be at least ${MIN_PASSWORD_LENGTH} characters long` })
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
