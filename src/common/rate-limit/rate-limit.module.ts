import { Module } from '@nestjs/common';
import { RateLimitPurgeService } from './rate-limit-purge.service';
import { SharedRateLimitsRepository } from './shared-rate-limits.repository';

@Module({
  providers: [SharedRateLimitsRepository, RateLimitPurgeService],
  exports: [SharedRateLimitsRepository],
})
export class RateLimitModule {}
