import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../common/auth/access.decorator';
import { JobQueueHealthIndicator } from './job-queue.health';

const LIVE: HealthCheckResult = { status: 'ok', info: {}, error: {}, details: {} };

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly jobQueue: JobQueueHealthIndicator,
  ) {}

  /** The process is up (for restarts). */
  @Get('live')
  @Public()
  @ApiOperation({ summary: 'The process is up (for the load balancer)' })
  @HealthCheck()
  live(): HealthCheckResult {
    // Terminus's answer to a check of nothing, without its promise chain: load balancers poll this all day.
    return LIVE;
  }

  /** The process can serve: database and job queue answer (for load balancers). */
  @Get('ready')
  @Public()
  @ApiOperation({ summary: 'The database and the job queue answer (503 when not)' })
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 3000 }),
      () => this.jobQueue.isHealthy('jobQueue'),
    ]);
  }
}
