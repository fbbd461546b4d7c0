import { Injectable } from '@nestjs/common';
import { countryName } from '../common/country-names';
import { Transaction } from '../common/database/unit-of-work';
import { AppConfig } from '../config/app-config';
import type { Mission } from '../missions/mission.entity';
import { SignedLinks } from '../pages/signed-links';

/** Who an e-mail about a registration goes to, and what it is about. */
export interface RegistrationRecipient {
  registrationId: string;
  /** The registrant's account: the status link in every e-mail is signed for it. */
  ownerId: string;
  fullName: string;
  email: string;
  locale: string | null;
}

/**
 * The e-mails a registrant receives (templates/email/registration-*), in their language, through the outbox in the
 * caller's unit of work. Contexts carry no passport or personal numbers: they are stored until the message is sent.
 */
@Injectable()
export class RegistrationMailer {
  constructor(
    private readonly config: AppConfig,
    private readonly links: SignedLinks,
  ) {}

  received(tx: Transaction, to: RegistrationRecipient, mission: Mission): void {
    this.send(tx, 'registration-received', to, mission, {});
  }

  verified(tx: Transaction, to: RegistrationRecipient, mission: Mission): void {
    this.send(tx, 'registration-verified', to, mission, {
      missionPhone: mission.contacts.emergencyPhone ?? mission.contacts.phone ?? null,
    });
  }

  rejected(tx: Transaction, to: RegistrationRecipient, mission: Mission, reason: string): void {
    this.send(tx, 'registration-rejected', to, mission, { reason });
  }

  endedByCitizen(tx: Transaction, to: RegistrationRecipient, mission: Mission): void {
    this.send(tx, 'registration-ended', to, mission, {});
  }

  /** The registrant moved to a country the mission does not serve: tell them where to register now. */
  moved(tx: Transaction, to: RegistrationRecipient, mission: Mission, country: string, servingMissions: Mission[]): void {
    const language = this.language(to);
    this.send(tx, 'registration-moved', to, mission, {
      countryName: countryName(country, language),
      servingMissions: servingMissions.map((m) => ({
        name: localName(m, language),
        city: m.city,
        contact: [m.contacts.phone, m.contacts.email, m.contacts.website].filter(Boolean).join(', '),
      })),
    });
  }

  expired(tx: Transaction, to: RegistrationRecipient, mission: Mission, departureDate: string): void {
    this.send(tx, 'registration-expired', to, mission, { departureDate: longDate(departureDate, this.language(to)) });
  }

  reminder(tx: Transaction, to: RegistrationRecipient, mission: Mission, departureDate: string): void {
    this.send(tx, 'registration-reminder', to, mission, { departureDate: longDate(departureDate, this.language(to)) });
  }

  private language(to: RegistrationRecipient): string {
    return this.config.state.languageFor(to.locale);
  }

  private send(tx: Transaction, template: string, to: RegistrationRecipient, mission: Mission, context: Record<string, unknown>): void {
    tx.email({
      to: to.email,
      template,
      locale: to.locale,
      context: {
        fullName: to.fullName,
        missionName: localName(mission, this.language(to)),
        // The status page, readable without signing in from this e-mail only (a view token for this registration and person).
        link: this.links.statusLink('registration-view', to.registrationId, to.ownerId, this.language(to)),
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
