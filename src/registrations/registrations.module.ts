import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { MissionsModule } from '../missions/missions.module';
import { Registration, RegistrationHistory } from './registration.entity';
import { RegistrationExpiryService } from './registration-expiry.service';
import { RegistrationMailer } from './registration-mailer';
import { RegistrationPagesController } from './registration-pages.controller';
import { RegistrationPagesService } from './registration-pages.service';
import { RegistrationsController } from './registrations.controller';
import { RegistrationsRepository } from './registrations.repository';
import { RegistrationsService } from './registrations.service';
import { RegistryAudienceService } from './registry-audience.service';
import { StaffRegistrationsController } from './staff-registrations.controller';
import { StaffRegistrationsService } from './staff-registrations.service';

/** Consular registration: citizens abroad register with a mission, staff verify, the register stays current. */
@Module({
  imports: [TypeOrmModule.forFeature([Registration, RegistrationHistory]), AuthModule, MissionsModule],
  controllers: [RegistrationsController, StaffRegistrationsController, RegistrationPagesController],
  providers: [
    RegistrationPagesService,
    RegistrationsRepository,
    RegistrationsService,
    StaffRegistrationsService,
    RegistrationExpiryService,
    RegistrationMailer,
    RegistryAudienceService,
  ],
  exports: [RegistryAudienceService, RegistrationsRepository],
})
export class RegistrationsModule {}
