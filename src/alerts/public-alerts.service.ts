import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../common/database/unit-of-work';
import { apiLink } from '../common/http/api-prefix';
import { mapPage, Page } from '../common/http/pagination';
import { AppConfig } from '../config/app-config';
import { inLanguage } from '../config/issuing-state';
import { MissionErrors } from '../missions/mission.errors';
import { MissionsService } from '../missions/missions.service';
import type { RenderedPage } from '../pages/page-renderer';
import { SigningKeyService } from '../signing/signing-key.service';
import { AlertErrors } from './alert.errors';
import { AlertPages } from './alert-pages';
import { alertSignatureValid } from './alert-signature';
import { renderAtom } from './atom';
import { alertPageUrl, renderCap } from './cap';
import type { PublicAlertResponse, PublicAlertsQuery, PublicAlertSummary } from './dto/public-alert.dto';
import { PublicAlertsRepository } from './public-alerts.repository';
import { publicAlertLinks, publicAlertSummaryView, publicAlertView } from './public-alerts-views';

/** How many alerts a mission's feed carries, newest first. */
export const FEED_ENTRIES = 50;

/**
 * What anyone may read about alerts: the active list, each approved alert as signed JSON, CAP and its public page,
 * and a feed per mission. Read-only; every alert here was approved and signed (the rest are not found).
 */
@Injectable()
export class PublicAlertsService {
  constructor(
    private readonly alerts: PublicAlertsRepository,
    private readonly missions: MissionsService,
    private readonly keys: SigningKeyService,
    private readonly pages: AlertPages,
    private readonly uow: UnitOfWork,
    private readonly config: AppConfig,
  ) {}

  async list(query: PublicAlertsQuery): Promise<Page<PublicAlertSummary>> {
    const page = await this.alerts.listActive(this.uow.reader, query.missionCode, query);
    const now = new Date();
    const missions = new Map(await Promise.all([...new Set(page.items.map((a) => a.missionCode))].map(async (code) => [code, await this.missions.get(code)] as const)));
    return mapPage(page, (alert) => publicAlertSummaryView(alert, missions.get(alert.missionCode)!, null, now, this.config.publicBaseUrl));
  }

  async get(id: string): Promise<PublicAlertResponse> {
    const found = await this.alerts.findPublished(this.uow.reader, id);
    if (!found) throw AlertErrors.notFound.exception();
    return publicAlertView(found.alert, await this.missions.get(found.alert.missionCode), found.supersededBy, new Date(), this.config.publicBaseUrl);
  }

  async cap(id: string): Promise<string> {
    const alert = await this.alerts.findApproved(this.uow.reader, id);
    if (!alert) throw AlertErrors.notFound.exception();
    const follows = alert.supersedesId ? await this.alerts.findApproved(this.uow.reader, alert.supersedesId) : null;
    const mission = await this.missions.get(alert.missionCode);
    return renderCap(
      { ...alert, approvedAt: alert.approvedAt as Date },
      {
        publicBaseUrl: this.config.publicBaseUrl,
        mission: { code: mission.code, name: mission.name },
        supersedes: follows && { id: follows.id, missionCode: follows.missionCode, kind: follows.kind, approvedAt: follows.approvedAt as Date },
        vocabulary: this.pages.vocabulary(),
      },
    );
  }

  /** The mission's feed: its latest approved alerts, each titled in its first language. 404 for an unknown mission. */
  async atom(code: string): Promise<string> {
    const mission = await this.missions.get(code).catch(() => null);
    if (!mission) throw MissionErrors.notFound.exception();
    const alerts = await this.alerts.latestOfMission(this.uow.reader, mission.code, FEED_ENTRIES);
    const name = inLanguage(mission.name, this.config.state.fallbackLanguage);
    return renderAtom({
      self: apiLink(this.config.publicBaseUrl, `public/missions/${mission.code}/alerts.atom`),
      title: name,
      author: name,
      now: new Date(),
      entries: alerts.map((alert) => {
        const language = alert.languages[0];
        const links = publicAlertLinks(this.config.publicBaseUrl, alert.id);
        return {
          id: alert.id,
          language,
          title: alert.content[language].title,
          summary: alert.content[language].body,
          published: alert.approvedAt as Date,
          updated: alert.approvedAt as Date,
          page: alertPageUrl(this.config.publicBaseUrl, alert.id, language),
          cap: links.cap,
        };
      }),
    });
  }

  /**
   * The public page, in the reader's language (a 404 page for a null or unknown id). The signature is checked as the
   * page is made, over the text the page shows: a row changed after approval says "signature NOT valid".
   */
  async page(id: string | null, requestedLanguage: string | undefined, acceptLanguage: string | undefined): Promise<RenderedPage> {
    const lang = this.pages.language(requestedLanguage, acceptLanguage);
    const found = id ? await this.alerts.findPublished(this.uow.reader, id) : null;
    if (!found) return this.pages.alertNotFound(lang);
    const { alert, supersededBy } = found;
    const follows = alert.supersedesId ? await this.alerts.findApproved(this.uow.reader, alert.supersedesId) : null;
    const mission = await this.missions.get(alert.missionCode);
    return this.pages.alertPage({ alert, mission, supersededBy, follows, signatureValid: alertSignatureValid(this.keys, alert), now: new Date() }, lang);
  }
}
