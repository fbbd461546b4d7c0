import { Global, Module } from '@nestjs/common';
import { StatementPool } from './database/statement-pool';
import { UnitOfWork } from './database/unit-of-work';
import { Paginator } from './http/pagination';
import { IdempotencyKeysRepository } from './idempotency/idempotency-keys.repository';
import { IdempotencyPurgeService } from './idempotency/idempotency-purge.service';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';

/** The shared pieces every feature module uses: the unit of work, list pagination, idempotency keys. */
@Global()
@Module({
  providers: [UnitOfWork, StatementPool, Paginator, IdempotencyKeysRepository, IdempotencyInterceptor, IdempotencyPurgeService],
  exports: [UnitOfWork, Paginator, IdempotencyKeysRepository, IdempotencyInterceptor],
})
export class CommonModule {}
