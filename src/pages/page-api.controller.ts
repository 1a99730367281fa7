import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import type { TokenDto } from '../auth/dto/token.dto';
import { StartSessionDto, UserSummaryDto } from './dto/session.dto';
import { PagesService } from './pages.service';
import { SESSION_COOKIE, SESSION_COOKIE_PATH } from './session-cookie';
import { SessionToken } from './session-token.decorator';

const cookieOptions = (request: Request) =>
  ({ httpOnly: true, sameSite: 'strict', secure: request.secure, path: SESSION_COOKIE_PATH }) as const;

/**
 * JSON routes the page scripts use: the session cookie (set from a token the visitor signed in
 * with, cleared on sign-out) and a username lookup for choosing room members.
 */
@ApiExcludeController()
@Controller('chat')
export class PageApiController {
  constructor(private readonly service: PagesService) {}

  @Post('session')
  @HttpCode(204)
  async start(
    @Body() dto: StartSessionDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    const maxAgeSeconds = await this.service.startSession(dto.token);
    response.cookie(SESSION_COOKIE, dto.token, { ...cookieOptions(request), maxAge: maxAgeSeconds * 1000 });
  }

  @Delete('session')
  @HttpCode(204)
  end(@Req() request: Request, @Res({ passthrough: true }) response: Response): void {
    response.clearCookie(SESSION_COOKIE, cookieOptions(request));
  }

  @Get('session')
  token(@SessionToken() cookie: string | null): Promise<TokenDto> {
    return this.service.sessionToken(cookie);
  }

  @Get('users/:username')
  @Authenticated()
  findUser(@CurrentUser() auth: AuthUser, @Param('username') username: string): Promise<UserSummaryDto> {
    return this.service.findUser(auth, username);
  }
}
