import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MissionsModule } from '../missions/missions.module';
import { VisaApplicant } from './visa-applicant.entity';
import { VisaApplication, VisaApplicationHistory } from './visa-application.entity';
import { VisaApplicationsRepository } from './visa-applications.repository';
import { VisaFile } from './visa-file.entity';
import { VisaMailer } from './visa-mailer';
import { VisaPayment } from './visa-payment.entity';
import { VisaRulesService } from './visa-rules.service';

/** E-visa: foreigners apply and pay online, officers decide against a deadline, approved visas are issued as signed e-visas. */
@Module({
  imports: [TypeOrmModule.forFeature([VisaApplication, VisaApplicationHistory, VisaApplicant, VisaFile, VisaPayment]), MissionsModule],
  providers: [VisaApplicationsRepository, VisaMailer, VisaRulesService],
  exports: [VisaApplicationsRepository, VisaMailer, VisaRulesService],
})
export class VisasModule {}
