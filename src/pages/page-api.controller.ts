import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import type { PageTokenDto } from '../auth/dto/token.dto';
import { APP_CONFIG, AppConfig } from '../common/config/config';
import { StartSessionDto, UserSummaryDto } from './dto/session.dto';
import { PagesService } from './pages.service';
import { SESSION_COOKIE, SESSION_COOKIE_PATH } from './session-cookie';
import { SessionToken } from './session-token.decorator';

/**
 * `Secure` when COOKIE_SECURE is set, or when the request came over TLS (`request.secure` also
 * believes `X-Forwarded-Proto: https` from a proxy trusted by TRUST_PROXY).
 */
const cookieOptions = (request: Request, config: AppConfig) =>
  ({
    httpOnly: true,
    sameSite: 'strict',
    secure: config.cookieSecure || request.secure,
    path: SESSION_COOKIE_PATH,
  }) as const;

/**
 * JSON routes the page scripts use: the session cookie (set from a token the visitor signed in
 * with, cleared on sign-out) and a username lookup for choosing room members.
 */
@ApiExcludeController()
@Controller('chat')
export class PageApiController {
  constructor(
    private readonly service: PagesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('session')
  @HttpCode(204)
  async start(
    @Body() dto: StartSessionDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    const maxAgeSeconds = await this.service.startSession(dto.token);
    response.cookie(SESSION_COOKIE, dto.token, {
      ...cookieOptions(request, this.config),
      maxAge: maxAgeSeconds * 1000,
    });
  }

  /** Signs out: the session's token (and every other of the user's) stops working, not only the cookie. */
  @Delete('session')
  @HttpCode(204)
  async end(
    @SessionToken() cookie: string | null,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    await this.service.endSession(cookie);
    response.clearCookie(SESSION_COOKIE, cookieOptions(request, this.config));
  }

  @Get('session')
  token(@SessionToken() cookie: string | null): Promise<PageTokenDto> {
    return this.service.sessionToken(cookie);
  }

  @Get('users/:username')
  @Authenticated()
  findUser(@CurrentUser() auth: AuthUser, @Param('username') username: string): Promise<UserSummaryDto> {
    return this.service.findUser(auth, username);
  }
}
