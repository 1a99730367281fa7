import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Throttle } from '../common/limits/throttle.guard';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { RegisterUserDto, UserDto } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('auth')
@Controller('api/v1/auth/users')
export class UsersController {
  constructor(private readonly service: UsersService) {}

  @Post()
  @HttpCode(201)
  @Throttle('registrations')
  @ApiOperation({
    operationId: 'registerUser',
    summary: 'Register a user (unless sign-up is turned off)',
    description: 'At most RATE_REGISTRATIONS per client address per RATE_REGISTRATIONS_WINDOW: 429 with `Retry-After`.',
  })
  @ApiCreatedResponse({ type: UserDto })
  @ApiErrors(400, 403, 409, 413, 415)
  register(@Body() dto: RegisterUserDto): Promise<UserDto> {
    return this.service.register(dto);
  }

  @Get('me')
  @Authenticated()
  @ApiOperation({ operationId: 'getCurrentUser', summary: 'The caller' })
  @ApiOkResponse({ type: UserDto })
  me(@CurrentUser() auth: AuthUser): UserDto {
    return this.service.getMe(auth);
  }
}
