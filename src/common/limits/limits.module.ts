import { Global, Module } from '@nestjs/common';
import { RateLimitsService } from './rate-limits.service';
import { ThrottleGuard } from './throttle.guard';

@Global()
@Module({
  providers: [RateLimitsService, ThrottleGuard],
  exports: [RateLimitsService, ThrottleGuard],
})
export class LimitsModule {}
