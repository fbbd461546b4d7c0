import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MissionsModule } from '../missions/missions.module';
import { Alert, AlertHistory } from './alert.entity';
import { AlertDelivery } from './alert-delivery.entity';
import { AlertRecipient } from './alert-recipient.entity';
import { AlertRecipientsRepository } from './alert-recipients.repository';
import { AlertResponsesService } from './alert-responses.service';
import { AlertPages } from './alert-pages';
import { AlertPagesController } from './alert-pages.controller';
import { AlertsController } from './alerts.controller';
import { AlertsRepository } from './alerts.repository';
import { AlertsService } from './alerts.service';
import { PublicAlertsController } from './public-alerts.controller';
import { PublicAlertsRepository } from './public-alerts.repository';
import { PublicAlertsService } from './public-alerts.service';
import { RespondController } from './respond.controller';
import { RespondService } from './respond.service';
import { StaffAlertsController } from './staff-alerts.controller';
import { StaffAlertsService } from './staff-alerts.service';
import { alertChannelProviders } from './alert-channels';
import { AlertDeliveriesRepository } from './alert-deliveries.repository';
import { AlertDeliveryService } from './alert-delivery.service';
import { AlertFollowUpService } from './alert-follow-up.service';
import { AlertMaterialisationService } from './alert-materialisation.service';

/**
 * Emergency alerts: four-eyes broadcast to everyone registered in an area, safety answers, follow-up rounds, and the
 * signed public record of each alert.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Alert, AlertHistory, AlertRecipient, AlertDelivery]), MissionsModule],
  controllers: [StaffAlertsController, AlertsController, PublicAlertsController, AlertPagesController, RespondController],
  providers: [
    AlertsRepository,
    AlertRecipientsRepository,
    AlertResponsesService,
    AlertsService,
    StaffAlertsService,
    PublicAlertsRepository,
    PublicAlertsService,
    AlertPages,
    RespondService,
    AlertDeliveriesRepository,
    ...alertChannelProviders,
    AlertMaterialisationService,
    AlertDeliveryService,
    AlertFollowUpService,
  ],
  exports: [AlertsRepository, AlertRecipientsRepository, AlertResponsesService],
})
export class AlertsModule {}
