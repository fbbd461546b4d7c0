import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminAuditController } from './admin-audit.controller';
import { AuditCheckpoint } from './audit-checkpoint.entity';
import { AuditCheckpointsService } from './audit-checkpoints.service';
import { AuditEvent } from './audit-event.entity';
import { AuditRepository } from './audit.repository';
import { AuditSealer } from './audit-sealer.service';
import { AuditService } from './audit.service';
import { SigningModule } from '../signing/signing.module';

@Global()
@Module({
  // Checkpoints are signed with the portal's key: said here so the module also works outside the whole app.
  imports: [TypeOrmModule.forFeature([AuditEvent, AuditCheckpoint]), SigningModule],
  controllers: [AdminAuditController],
  providers: [AuditService, AuditRepository, AuditCheckpointsService, AuditSealer],
  exports: [AuditService],
})
export class AuditModule {}
