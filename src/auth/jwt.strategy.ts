import type { KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppError } from '../common/errors/app-error';
import type { AuthUser } from './auth-user';
import { AuthService, JWT_ALGORITHM, TokenPayload } from './auth.service';
import { JWT_SECRET } from './auth.constants';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(
    private readonly auth: AuthService,
    @Inject(JWT_SECRET) secret: KeyObject,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // Handed unchanged to jsonwebtoken.verify, which takes a KeyObject; passport-jwt's types predate that.
      secretOrKey: secret as unknown as Buffer,
      algorithms: [JWT_ALGORITHM],
      ignoreExpiration: false,
    });
  }

  async validate(payload: TokenPayload): Promise<AuthUser> {
    const user = await this.auth.authenticate(payload);
    if (!user) {
      throw new AppError('not_authenticated', 'The token is no longer valid');
    }
    return user;
  }
}
