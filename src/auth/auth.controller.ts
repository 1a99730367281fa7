import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { AuthService } from './auth.service';
import { TokenDto, TokenRequestDto } from './dto/token.dto';

@ApiTags('auth')
@Controller('api/v1/auth/token')
export class AuthController {
  constructor(private readonly service: AuthService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ operationId: 'createToken', summary: 'Exchange a username and password for a JWT' })
  @ApiOkResponse({ type: TokenDto })
  @ApiErrors(400, 401, 413, 415, 429)
  token(@Body() dto: TokenRequestDto, @Ip() ip: string): Promise<TokenDto> {
    return this.service.login(dto, ip);
  }
}
