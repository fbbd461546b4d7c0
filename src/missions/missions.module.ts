import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminMissionsController } from './admin-missions.controller';
import { Mission } from './mission.entity';
import { MissionsController } from './missions.controller';
import { MissionsRepository } from './missions.repository';
import { MissionsService } from './missions.service';

@Module({
  imports: [TypeOrmModule.forFeature([Mission])],
  controllers: [MissionsController, AdminMissionsController],
  providers: [MissionsService, MissionsRepository],
  exports: [MissionsService, MissionsRepository],
})
export class MissionsModule {}
