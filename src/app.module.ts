import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AlertsModule } from './alerts/alerts.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { AccessGuard } from './common/auth/access.guard';
import { CommonModule } from './common/common.module';
import { CryptoModule } from './common/crypto/crypto.module';
import { ProblemDetailsFilter } from './common/http/problem-details.filter';
import { LoggingModule } from './common/logging/logging.module';
import { RateLimitGuard } from './common/rate-limit/rate-limit.guard';
import { RateLimitModule } from './common/rate-limit/rate-limit.module';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { DocumentsModule } from './documents/documents.module';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { MissionsModule } from './missions/missions.module';
import { NotificationsModule } from './notifications/notifications.module';
import { PagesModule } from './pages/pages.module';
import { SigningModule } from './signing/signing.module';
import { RegistrationsModule } from './registrations/registrations.module';
import { StorageModule } from './storage/storage.module';
import { WatchlistModule } from './watchlist/watchlist.module';
import { VisasModule } from './visas/visas.module';

@Module({})
export class AppModule {
  /** The whole portal, from a configuration or overrides of environment variables (see AppConfigModule). */
  static forRoot(settings: AppConfig | Record<string, string | undefined> = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(settings),
        LoggingModule,
        DatabaseModule,
        JobsModule,
        NotificationsModule,
        AuditModule,
        CryptoModule,
        CommonModule,
        StorageModule,
        RateLimitModule,
        HealthModule,
        AuthModule,
        MissionsModule,
        RegistrationsModule,
        SigningModule,
        DocumentsModule,
        WatchlistModule,
        PagesModule,
        VisasModule,
        AlertsModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: AccessGuard },
      ],
    };
  }
}
