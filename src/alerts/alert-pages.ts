import { Injectable } from '@nestjs/common';
import { countryName } from '../common/country-names';
import { AppConfig } from '../config/app-config';
import { inLanguage } from '../config/issuing-state';
import type { MissionResponse } from '../missions/dto/mission.response';
import { Captions } from '../pages/page-catalogue';
import { PageRenderer, RenderedPage } from '../pages/page-renderer';
import type { Alert } from './alert.entity';
import type { AlertRecipient } from './alert-recipient.entity';
import { alertPageUrl } from './cap';
import type { ResponseAnswer } from './dto/public-alert.dto';
import { publicAlertState } from './public-alerts-views';

/** What the public alert page shows. */
export interface AlertPageData {
  alert: Alert;
  mission: MissionResponse;
  supersededBy: Alert | null;
  follows: Alert | null;
  signatureValid: boolean;
  now: Date;
}

/** What the respond form shows, with what the person typed when it is shown again with an error. */
export interface RespondPageData {
  alert: Alert;
  mission: MissionResponse;
  recipient: AlertRecipient;
  token: string;
  preselected: ResponseAnswer | null;
  form?: { message: string; lat: string; lon: string };
  invalidLocation?: boolean;
}

/** The state of an alert to the colour of its status box (classes of templates/pages/layout.html.hbs). */
const STATE_CLASS = { superseded: 'warn', expired: 'expired' } as const;
const ACTIVE_CLASS: Record<Alert['kind'], string> = {
  evacuation: 'bad',
  shelter_in_place: 'bad',
  safety_info: 'info',
  travel_advice: 'info',
  update: 'info',
  all_clear: 'ok',
};

/**
 * The alert pages (templates/pages/alert*, respond*): the public page of an alert and the one-click answer pages, in
 * the reader's language, through the portal's one page renderer.
 */
@Injectable()
export class AlertPages {
  private readonly dates = new Map<string, Intl.DateTimeFormat>();

  constructor(
    private readonly pages: PageRenderer,
    private readonly config: AppConfig,
  ) {}

  /** The words CAP takes from the page's captions, per language (see cap.ts). */
  vocabulary(): Record<string, Captions> {
    return Object.fromEntries(this.config.state.languages.map((lang) => [lang, this.pages.captions('alert', lang)]));
  }

  /** The language of a page: `?lang=` when the portal speaks it, then the best of Accept-Language, then the state's own. */
  language(requested: string | undefined, acceptLanguage: string | undefined): string {
    return this.pages.language(requested, acceptLanguage);
  }

  alertPage(data: AlertPageData, lang: string): RenderedPage {
    const { alert, mission } = data;
    const t = this.pages.captions('alert', lang);
    const textLang = this.textLanguage(alert, lang);
    const text = alert.content[textLang];
    const state = publicAlertState(alert, data.supersededBy, data.now);
    const statusKey = { active: 'statusActive', superseded: 'statusSuperseded', expired: 'statusExpired' }[state];
    return this.pages.render(
      'alert',
      lang,
      {
        textLang,
        alertTitle: text.title,
        alertBody: text.body,
        instructions: text.instructions ?? null,
        kindName: t[`kind_${alert.kind}`],
        severity: alert.severity,
        severityName: t[`severity_${alert.severity}`],
        statusClass: state === 'active' ? ACTIVE_CLASS[alert.kind] : STATE_CLASS[state],
        statusLabel: t[statusKey],
        statusExplanation: t[`${statusKey}Explanation`],
        latest: data.supersededBy ? alertPageUrl('', data.supersededBy.id, lang) : null,
        missionName: inLanguage(mission.name, lang),
        ...this.time('issuedAt', alert.approvedAt as Date, lang, mission.timezone),
        ...(alert.expiresAt ? this.time('expiresAt', alert.expiresAt, lang, mission.timezone) : { expiresAt: null, expiresAtIso: null }),
        areaText: this.areaText(alert, lang, t),
        ...this.phone(alert.emergencyPhone),
        follows: data.follows ? { href: alertPageUrl('', data.follows.id, lang), issuedAt: this.formatTime(data.follows.approvedAt as Date, lang, mission.timezone) } : null,
        signatureValid: data.signatureValid,
        kid: alert.kid,
        trust: t.trust.replace('{host}', new URL(this.config.publicBaseUrl).host),
      },
      { here: { path: `/alerts/${alert.id}` } },
    );
  }

  respondPage(data: RespondPageData, lang: string): RenderedPage {
    const { alert, mission, recipient } = data;
    const t = this.pages.captions('respond', lang);
    const alertWords = this.pages.captions('alert', lang);
    const textLang = this.textLanguage(alert, lang);
    const text = alert.content[textLang];
    return this.pages.render(
      'respond',
      lang,
      {
        textLang,
        errors: data.invalidLocation ? t.errorLocation : null,
        kindName: alertWords[`kind_${alert.kind}`],
        missionName: inLanguage(mission.name, lang),
        alertTitle: text.title,
        alertBody: text.body,
        instructions: text.instructions ?? null,
        ...this.time('issuedAt', alert.approvedAt as Date, lang, mission.timezone),
        alertPage: alertPageUrl('', alert.id, lang),
        lastAnswer: recipient.responseStatus ? this.answerLabel(recipient.responseStatus, t) : null,
        preselected: data.preselected !== null,
        preselectedSafe: data.preselected === 'safe',
        preselectedHelp: data.preselected === 'need_help',
        action: `/respond/${data.token}?lang=${lang}`,
        message: data.form?.message ?? '',
        lat: data.form?.lat ?? '',
        lon: data.form?.lon ?? '',
      },
      { status: data.invalidLocation ? 400 : 200, here: { path: `/respond/${data.token}` } },
    );
  }

  respondDone(alert: Alert, answer: ResponseAnswer, token: string, lang: string): RenderedPage {
    const t = this.pages.captions('respond', lang);
    return this.pages.render('respond-done', lang, {
      safe: answer === 'safe',
      answerLabel: this.answerLabel(answer, t),
      ...this.phone(alert.emergencyPhone),
      alertPage: alertPageUrl('', alert.id, lang),
      change: `/respond/${token}?lang=${lang}`,
    });
  }

  alertNotFound(lang: string): RenderedPage {
    return this.pages.problem(lang, 'notFound', { explanation: this.pages.captions('alert', lang).notFoundExplanation });
  }

  respondNotFound(lang: string): RenderedPage {
    return this.pages.problem(lang, 'notFound', { explanation: this.pages.captions('respond', lang).notFoundExplanation });
  }

  /** The alert's text in the page's language when it was written in it, else in its first language. */
  private textLanguage(alert: Alert, lang: string): string {
    return alert.content[lang] ? lang : alert.languages[0];
  }

  private answerLabel(answer: ResponseAnswer, t: Captions): string {
    return answer === 'safe' ? t.safe : t.needHelp;
  }

  private areaText(alert: Alert, lang: string, t: Captions): string | null {
    const { countries = [], regions = [], circle } = alert.area;
    const parts = [
      ...countries.map((code) => countryName(code, lang)),
      ...regions,
      ...(circle ? [t.circle.replace('{km}', String(circle.radiusKm)).replace('{lat}', String(circle.lat)).replace('{lon}', String(circle.lon))] : []),
    ];
    return parts.length > 0 ? parts.join('; ') : null;
  }

  private phone(phone: string | null) {
    return { emergencyPhone: phone, emergencyPhoneDial: phone ? phone.replace(/[^+0-9]/g, '') : null };
  }

  private time(name: string, date: Date, lang: string, timeZone: string) {
    return { [name]: this.formatTime(date, lang, timeZone), [`${name}Iso`]: date.toISOString() };
  }

  /** A time in the mission's zone and the reader's language, with the zone named ("25 November 2026, 14:05 CET"). */
  private formatTime(date: Date, lang: string, timeZone: string): string {
    const key = `${lang} ${timeZone}`;
    let format = this.dates.get(key);
    if (!format) {
      format = new Intl.DateTimeFormat(lang, { timeZone, year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
      this.dates.set(key, format);
    }
    return format.format(date);
  }
}
