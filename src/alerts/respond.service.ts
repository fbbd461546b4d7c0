import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../common/database/unit-of-work';
import { MissionsService } from '../missions/missions.service';
import type { RenderedPage } from '../pages/page-renderer';
import { AlertPages } from './alert-pages';
import { AlertResponsesService } from './alert-responses.service';
import { RESPONSE_ANSWERS, RespondFormDto, RespondPageQuery } from './dto/public-alert.dto';
import { parseLocation } from './respond-location';
import { PublicAlertsRepository, RespondTarget } from './public-alerts.repository';

/** What a respond link may look like (base64url); anything else is not looked up. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{20,128}$/;

/**
 * The one-click answer from an alert e-mail: the link opens a page with the alert and two buttons, and only the form's
 * POST records an answer (mail scanners open links). The token is the only credential; it works without signing in.
 */
@Injectable()
export class RespondService {
  constructor(
    private readonly alerts: PublicAlertsRepository,
    private readonly responses: AlertResponsesService,
    private readonly missions: MissionsService,
    private readonly pages: AlertPages,
    private readonly uow: UnitOfWork,
  ) {}

  /**
   * The page of a link, in the recipient's language (or `?lang=`); `?answer=` only preselects a button. Records nothing.
   * A link that is not valid gets a page in the reader's language.
   */
  async show(token: string, query: RespondPageQuery, acceptLanguage: string | undefined): Promise<RenderedPage> {
    const target = await this.find(token);
    if (!target) return this.pages.respondNotFound(this.pages.language(query.lang, acceptLanguage));
    const lang = this.pages.language(query.lang, target.recipient.language);
    const preselected = RESPONSE_ANSWERS.find((answer) => answer === query.answer) ?? null;
    return this.pages.respondPage({ ...target, mission: await this.missions.get(target.alert.missionCode), token, preselected }, lang);
  }

  /**
   * Records the answer (the latest counts) and shows the confirmation. A location must be two numbers in range or
   * nothing: otherwise the form comes back with what was typed and nothing is recorded.
   */
  async record(token: string, form: RespondFormDto, query: RespondPageQuery, acceptLanguage: string | undefined): Promise<RenderedPage> {
    const target = await this.find(token);
    if (!target) return this.pages.respondNotFound(this.pages.language(query.lang, acceptLanguage));
    const lang = this.pages.language(query.lang, target.recipient.language);
    const message = form.message?.trim() || null;
    const location = parseLocation(form.lat, form.lon);
    if (location === 'invalid') {
      return this.pages.respondPage(
        {
          ...target,
          mission: await this.missions.get(target.alert.missionCode),
          token,
          preselected: form.answer,
          form: { message: form.message ?? '', lat: form.lat ?? '', lon: form.lon ?? '' },
          invalidLocation: true,
        },
        lang,
      );
    }
    await this.uow.run((tx) => this.responses.recordResponse(tx.manager, target.recipient.id, { status: form.answer, message, location }));
    return this.pages.respondDone(target.alert, form.answer, token, lang);
  }

  private find(token: string): Promise<RespondTarget | null> {
    return TOKEN_PATTERN.test(token) ? this.alerts.findByToken(this.uow.reader, token) : Promise.resolve(null);
  }
}
