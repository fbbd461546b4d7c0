import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { countryName } from '../common/country-names';
import { AppConfig } from '../config/app-config';
import type { Mission } from '../missions/mission.entity';
import { MailService } from '../notifications/mail.service';

/** Who an e-mail about a registration goes to, and what it is about. */
export interface RegistrationRecipient {
  registrationId: string;
  fullName: string;
  email: string;
  locale: string | null;
}

/**
 * The e-mails a registrant receives (templates/email/registration-*), in their language, through the outbox in the
 * caller's transaction. Contexts carry no passport or personal numbers: they are stored until the message is sent.
 */
@Injectable()
export class RegistrationMailer {
  constructor(
    private readonly mail: MailService,
    private readonly config: AppConfig,
  ) {}

  received(manager: EntityManager, to: RegistrationRecipient, mission: Mission): Promise<void> {
    return this.send(manager, 'registration-received', to, mission, {});
  }

  verified(manager: EntityManager, to: RegistrationRecipient, mission: Mission): Promise<void> {
    return this.send(manager, 'registration-verified', to, mission, {
      missionPhone: mission.contacts.emergencyPhone ?? mission.contacts.phone ?? null,
    });
  }

  rejected(manager: EntityManager, to: RegistrationRecipient, mission: Mission, reason: string): Promise<void> {
    return this.send(manager, 'registration-rejected', to, mission, { reason });
  }

  endedByCitizen(manager: EntityManager, to: RegistrationRecipient, mission: Mission): Promise<void> {
    return this.send(manager, 'registration-ended', to, mission, {});
  }

  /** The registrant moved to a country the mission does not serve: tell them where to register now. */
  moved(manager: EntityManager, to: RegistrationRecipient, mission: Mission, country: string, servingMissions: Mission[]): Promise<void> {
    const language = this.language(to);
    return this.send(manager, 'registration-moved', to, mission, {
      countryName: countryName(country, language),
      servingMissions: servingMissions.map((m) => ({
        name: localName(m, language),
        city: m.city,
        contact: [m.contacts.phone, m.contacts.email, m.contacts.website].filter(Boolean).join(', '),
      })),
    });
  }

  expired(manager: EntityManager, to: RegistrationRecipient, mission: Mission, departureDate: string): Promise<void> {
    return this.send(manager, 'registration-expired', to, mission, { departureDate: longDate(departureDate, this.language(to)) });
  }

  reminder(manager: EntityManager, to: RegistrationRecipient, mission: Mission, departureDate: string): Promise<void> {
    return this.send(manager, 'registration-reminder', to, mission, { departureDate: longDate(departureDate, this.language(to)) });
  }

  private language(to: RegistrationRecipient): string {
    return this.config.state.languageFor(to.locale);
  }

  private async send(
    manager: EntityManager,
    template: string,
    to: RegistrationRecipient,
    mission: Mission,
    context: Record<string, unknown>,
  ): Promise<void> {
    await this.mail.enqueue(manager, {
      to: to.email,
      template,
      locale: to.locale,
      context: {
        fullName: to.fullName,
        missionName: localName(mission, this.language(to)),
        link: `${this.config.publicBaseUrl}/registrations/${to.registrationId}`,
        ...context,
      },
    });
  }
}

function localName(mission: Mission, language: string): string {
  return mission.name[language] ?? mission.name.en ?? mission.code;
}

function longDate(date: string, language: string): string {
  return new Intl.DateTimeFormat([language, 'en'], { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}
