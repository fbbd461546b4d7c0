import { Module } from '@nestjs/common';
import { SharedRateLimitsRepository } from './shared-rate-limits.repository';

@Module({
  providers: [SharedRateLimitsRepository],
  exports: [SharedRateLimitsRepository],
})
export class RateLimitModule {}
