import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminAuditController } from './admin-audit.controller';
import { AuditCheckpoint } from './audit-checkpoint.entity';
import { AuditCheckpointsService } from './audit-checkpoints.service';
import { AuditEvent } from './audit-event.entity';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEvent, AuditCheckpoint])],
  controllers: [AdminAuditController],
  providers: [AuditService, AuditRepository, AuditCheckpointsService],
  exports: [AuditService],
})
export class AuditModule {}
