import { createSecretKey, KeyObject } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { APP_CONFIG, AppConfig } from '../common/config/config';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JWT_SECRET } from './auth.constants';
import { JwtAuthGuard } from './auth.decorators';
import { JwtStrategy } from './jwt.strategy';
import { resolveJwtSecret } from './jwt-secret';

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
  ],
  exports: [AuthService, JwtAuthGuard],
})
export class AuthModule {}
