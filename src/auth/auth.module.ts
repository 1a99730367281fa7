import { createSecretKey, KeyObject } from 'node:crypto';
import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { APP_CONFIG, AppConfig } from '../common/config/config';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JWT_SECRET } from './auth.constants';
import { JwtAuthGuard } from './auth.decorators';
import { JwtStrategy } from './jwt.strategy';
import { resolveJwtSecret } from './jwt-secret';
import { FailedSignIns, LoginRateLimiter, RedisLoginRateLimiter } from './login-rate-limiter';

const FAILED_SIGN_INS_LOGGER = new Logger('FailedSignIns');

@Global()
@Module({
  imports: [PassportModule, UsersModule],
  controllers: [AuthController],
  providers: [
    AuthService,
    JwtStrategy,
    JwtAuthGuard,
    // A key object, made once: given the string, jsonwebtoken would first try (and fail) to parse it
    // as a PEM public key on every request, which cost a sixth of the CPU time of a POST.
    {
      provide: JWT_SECRET,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): KeyObject => createSecretKey(Buffer.from(resolveJwtSecret(config), 'utf8')),
    },
    {
      provide: FailedSignIns,
      inject: [APP_CONFIG],
      useFactory: ({ redisUrl, redisPrefix, auth }: AppConfig): FailedSignIns =>
        redisUrl
          ? new RedisLoginRateLimiter(redisUrl, redisPrefix, auth.maxFailures, auth.failureWindowSeconds, (message) =>
              FAILED_SIGN_INS_LOGGER.warn(message),
            )
          : new LoginRateLimiter(auth.maxFailures, auth.failureWindowSeconds * 1000),
    },
  ],
  exports: [AuthService, JwtAuthGuard],
})
export class AuthModule implements OnApplicationShutdown {
  constructor(@Inject(FailedSignIns) private readonly failedSignIns: FailedSignIns) {}

  onApplicationShutdown(): Promise<void> {
    return this.failedSignIns.close();
  }
}
