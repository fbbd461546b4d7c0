import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Alert, AlertHistory } from './alert.entity';
import { AlertDelivery } from './alert-delivery.entity';
import { AlertRecipient } from './alert-recipient.entity';
import { AlertsRepository } from './alerts.repository';

/**
 * Emergency alerts: four-eyes broadcast to everyone registered in an area, safety answers, follow-up rounds, and the
 * signed public record of each alert.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Alert, AlertHistory, AlertRecipient, AlertDelivery])],
  providers: [AlertsRepository],
  exports: [AlertsRepository],
})
export class AlertsModule {}
