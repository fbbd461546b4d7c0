import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { inLanguage } from '../config/issuing-state';
import { BulkEmail } from '../notifications/email-renderer';
import { isPermanentRejection } from '../notifications/mail-transport';
import { MailService } from '../notifications/mail.service';
import { AlertBroadcast, AlertChannel, ClaimedDelivery, DeliveryOutcome } from './alert-channel';
import type { AlertKind, AlertSeverity } from './alert.entity';

const SEVERITY: Record<AlertSeverity, Record<string, string>> = {
  extreme: { uz: 'Oʻta xavfli', ru: 'Чрезвычайная опасность', en: 'Extreme danger' },
  severe: { uz: 'Jiddiy xavf', ru: 'Серьёзная опасность', en: 'Severe danger' },
  moderate: { uz: 'Oʻrtacha xavf', ru: 'Умеренная опасность', en: 'Moderate danger' },
  minor: { uz: 'Kichik xavf', ru: 'Незначительная опасность', en: 'Minor danger' },
};

const KIND: Record<AlertKind, Record<string, string>> = {
  evacuation: { uz: 'Evakuatsiya', ru: 'Эвакуация', en: 'Evacuation' },
  shelter_in_place: { uz: 'Turgan joyingizda panoh toping', ru: 'Оставайтесь в укрытии', en: 'Shelter in place' },
  safety_info: { uz: 'Xavfsizlik haqida maʼlumot', ru: 'Информация о безопасности', en: 'Safety information' },
  travel_advice: { uz: 'Safar boʻyicha tavsiya', ru: 'Рекомендация для поездок', en: 'Travel advice' },
  all_clear: { uz: 'Xavf oʻtdi', ru: 'Отбой тревоги', en: 'All clear' },
  update: { uz: 'Yangilanish', ru: 'Обновление', en: 'Update' },
};

/** The fields filled in per person; everything else is rendered once per language. */
const PERSONAL_FIELDS = ['fullName', 'token'];

/**
 * Alerts by e-mail (templates/email/alert): each language's message is rendered once per batch through the
 * notifications module's bulk path, filled in per person (name, respond token), and handed to the pooled transport
 * with the delivery id as Message-ID.
 */
@Injectable()
export class EmailAlertChannel implements AlertChannel {
  readonly name = 'email';
  private readonly rendered = new WeakMap<AlertBroadcast, Map<string, BulkEmail>>();

  constructor(
    private readonly mail: MailService,
    private readonly config: AppConfig,
  ) {}

  get concurrency(): number {
    return this.mail.bulkConcurrency;
  }

  async sendBatch(broadcast: AlertBroadcast, deliveries: ClaimedDelivery[]): Promise<DeliveryOutcome[]> {
    const results = await Promise.allSettled(
      deliveries.map((d) => this.mail.sendNow(d.id, d.email, this.template(broadcast, d.language).fill({ fullName: d.fullName, token: d.token }))),
    );
    return results.map((result, i): DeliveryOutcome => {
      const { id } = deliveries[i];
      if (result.status === 'fulfilled') return { id, outcome: 'sent' };
      const error = String((result.reason as Error)?.message ?? result.reason).slice(0, 500);
      return { id, outcome: isPermanentRejection(result.reason) ? 'failed' : 'retry', error };
    });
  }

  private template(broadcast: AlertBroadcast, language: string): BulkEmail {
    let byLanguage = this.rendered.get(broadcast);
    if (!byLanguage) this.rendered.set(broadcast, (byLanguage = new Map()));
    let template = byLanguage.get(language);
    if (!template) {
      template = this.render(broadcast, language);
      byLanguage.set(language, template);
    }
    return template;
  }

  private render({ alert, mission, round }: AlertBroadcast, language: string): BulkEmail {
    const text = alert.content[language] ?? alert.content[alert.languages[0]];
    const base = this.config.publicBaseUrl;
    return this.mail.bulkTemplate(
      'alert',
      language,
      {
        reminder: round > 0,
        severity: inLanguage(SEVERITY[alert.severity], language),
        kind: inLanguage(KIND[alert.kind], language),
        title: text.title,
        body: text.body,
        instructions: text.instructions ?? null,
        missionName: inLanguage(mission.name, language),
        missionPhone: alert.emergencyPhone ?? mission.contacts.emergencyPhone ?? mission.contacts.phone ?? null,
        respondUrl: `${base}/respond`,
        alertUrl: `${base}/alerts/${alert.id}`,
      },
      PERSONAL_FIELDS,
    );
  }
}
