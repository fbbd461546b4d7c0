import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { DocumentsModule } from '../documents/documents.module';
import { MissionsModule } from '../missions/missions.module';
import { PaymentsModule } from '../payments/payments.module';
import { Evisa } from './evisa.entity';
import { EvisaController } from './evisa.controller';
import { EvisaIssuer } from './evisa-issuer';
import { EvisasRepository } from './evisas.repository';
import { EvisasService } from './evisas.service';
import { WatchlistModule } from '../watchlist/watchlist.module';
import { VisaApplicant } from './visa-applicant.entity';
import { VisaApplication, VisaApplicationHistory } from './visa-application.entity';
import { VisaApplicationsRepository } from './visa-applications.repository';
import { VisaFile } from './visa-file.entity';
import { StaffVisaFilesController, VisaFilesController } from './visa-files.controller';
import { VisaFilesRepository } from './visa-files.repository';
import { VisaFilesService } from './visa-files.service';
import { VisaFileSweeper } from './visa-file-sweeper.service';
import { VisaIssuanceService } from './visa-issuance.service';
import { VisaMailer } from './visa-mailer';
import { VisaPagesController } from './visa-pages.controller';
import { VisaPagesService } from './visa-pages.service';
import { VisaPayment } from './visa-payment.entity';
import { VisaRulesService } from './visa-rules.service';
import { VisaScreeningService } from './visa-screening.service';
import { VisaApplicationsController } from './visa-applications.controller';
import { VisaStatusController } from './visa-status.controller';
import { VisasService } from './visas.service';
import { StaffVisaApplicationsController } from './staff-visa-applications.controller';
import { StaffVisasService } from './staff-visas.service';
import { VisaClaimReleaseService } from './visa-claim-release.service';
import { VisaDigestService } from './visa-digest.service';
import { VisaQueueRepository } from './visa-queue.repository';
import { VisaUploadsService } from './visa-uploads.service';

/** E-visa: foreigners apply and pay online, officers decide against a deadline, approved visas are issued as signed e-visas. */
@Module({
  imports: [
    TypeOrmModule.forFeature([VisaApplication, VisaApplicationHistory, VisaApplicant, VisaFile, VisaPayment, Evisa]),
    MissionsModule,
    DocumentsModule,
    AuthModule,
    WatchlistModule,
    PaymentsModule,
  ],
  controllers: [EvisaController, VisaApplicationsController, VisaStatusController, StaffVisaApplicationsController, VisaFilesController, StaffVisaFilesController, VisaPagesController],
  providers: [
    VisaApplicationsRepository,
    VisaMailer,
    VisaPagesService,
    VisaRulesService,
    EvisasRepository,
    EvisaIssuer,
    EvisasService,
    VisaIssuanceService,
    VisaScreeningService,
    VisasService,
    StaffVisasService,
    VisaQueueRepository,
    VisaClaimReleaseService,
    VisaDigestService,
    VisaFilesService,
    VisaFilesRepository,
    VisaUploadsService,
    VisaFileSweeper,
  ],
  exports: [VisaApplicationsRepository, VisaMailer, VisaRulesService, EvisasService, VisaIssuanceService, VisaFilesService],
})
export class VisasModule {}
