import { Injectable } from '@nestjs/common';
import { AuthUser } from '../common/auth/auth-user';
import { FieldCipher } from '../common/crypto/field-cipher';
import { Transaction, UnitOfWork } from '../common/database/unit-of-work';
import { CommonErrors } from '../common/http/common.errors';
import { FieldError } from '../common/http/domain.exception';
import { mapPage, Page, PageQuery } from '../common/http/pagination';
import { AppConfig } from '../config/app-config';
import { JobQueue } from '../jobs/job-queue.service';
import type { Mission } from '../missions/mission.entity';
import { MissionsRepository } from '../missions/missions.repository';
import { SigningKeyService } from '../signing/signing-key.service';
import { Alert, AlertArea } from './alert.entity';
import { AlertErrors } from './alert.errors';
import { countAlertAudience } from './alert-audience';
import { AlertRecipientsRepository, ResponsesFilter } from './alert-recipients.repository';
import { ALERT_LIMITS, areaProblems, contentProblems, normaliseContent } from './alert-rules';
import { alertSignedContent, canonicalAlert } from './alert-signature';
import { ALERT_TRANSITIONS, AlertAction, assertMayTakeAlertStep, nextAlertStatus, PUBLISHED_STATUSES } from './alert-transitions';
import { personResponseView, staffAlertView } from './alert-views';
import { AlertsRepository } from './alerts.repository';
import { CreateAlertDto } from './dto/create-alert.dto';
import { StaffAlertQuery } from './dto/alert-queries.dto';
import { AlertAudienceResponse, AlertPersonResponse, AlertStatsResponse, AssistedResponse, StaffAlertResponse } from './dto/alert.response';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The number every alert carries: the mission's emergency phone, else its switchboard. */
export function emergencyPhoneOf(mission: Pick<Mission, 'contacts'>): string | null {
  return mission.contacts.emergencyPhone ?? mission.contacts.phone ?? null;
}

/**
 * Staff side of emergency alerts: write, submit, approve (four eyes, signed, fan-out enqueued), cancel, remind, and
 * the crisis view (audience, stats, responses, assisted). Everything is scoped to the caller's missions in the query.
 */
@Injectable()
export class StaffAlertsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly alerts: AlertsRepository,
    private readonly recipients: AlertRecipientsRepository,
    private readonly missions: MissionsRepository,
    private readonly signing: SigningKeyService,
    private readonly jobs: JobQueue,
    private readonly cipher: FieldCipher,
    private readonly config: AppConfig,
  ) {}

  async create(user: AuthUser, dto: CreateAlertDto): Promise<StaffAlertResponse> {
    const contentErrors = contentProblems(dto.content as Record<string, unknown>, this.config.state.languages);
    if (contentErrors.length > 0) throw CommonErrors.validationFailed.withFields(contentErrors);
    if (user.role !== 'admin' && !user.missions.includes(dto.missionCode)) throw AlertErrors.missionNotFound.exception();
    return this.uow.run(async (tx) => {
      const mission = await this.missions.findByCode(tx.manager, dto.missionCode);
      if (!mission) throw AlertErrors.missionNotFound.exception();
      const area = areaOf(dto);
      const errors: FieldError[] = [...areaProblems(area, mission.jurisdiction)];
      if (!mission.active) errors.push({ field: 'missionCode', message: `${mission.code} is closed` });
      const expiresAt = dto.expiresAt ? new Date(dto.expiresAt) : null;
      if (expiresAt && (expiresAt.getTime() <= Date.now() || expiresAt.getTime() > Date.now() + ALERT_LIMITS.maxExpiryDays * DAY_MS)) {
        errors.push({ field: 'expiresAt', message: `expiresAt must be in the future, within ${ALERT_LIMITS.maxExpiryDays} days` });
      }
      if (dto.supersedes) errors.push(...(await this.supersedingProblems(tx, mission.code, dto)));
      if (errors.length > 0) throw AlertErrors.invalid.withFields(errors);

      const content = normaliseContent(dto.content);
      const alert = await this.alerts.insert(
        tx.manager,
        {
          missionCode: mission.code,
          authorId: user.id,
          kind: dto.kind,
          severity: dto.severity,
          area,
          content,
          languages: Object.keys(content),
          expiresAt,
          supersedesId: dto.supersedes ?? null,
          followUpEveryMinutes: dto.followUp?.everyMinutes ?? null,
          followUpMaxRounds: dto.followUp?.maxRounds ?? null,
        },
        user.id,
      );
      tx.audit({ actor: user, action: 'alert.created', entityType: 'alert', entityId: alert.id, missionCode: alert.missionCode, details: { kind: alert.kind, severity: alert.severity } });
      return staffAlertView(alert);
    });
  }

  async list(user: AuthUser, query: StaffAlertQuery): Promise<Page<StaffAlertResponse>> {
    return mapPage(await this.alerts.list(this.uow.reader, user, { missionCode: query.missionCode, status: query.status }, query), staffAlertView);
  }

  async get(user: AuthUser, id: string): Promise<StaffAlertResponse> {
    return staffAlertView(await this.inScope(user, id));
  }

  /** Who the alert would reach now (for an update: also everyone the first one reached). */
  async audience(user: AuthUser, id: string): Promise<AlertAudienceResponse> {
    const alert = await this.inScope(user, id);
    return countAlertAudience(this.uow.reader, alert);
  }

  submit(user: AuthUser, id: string): Promise<StaffAlertResponse> {
    return this.step(user, id, 'submit');
  }

  cancel(user: AuthUser, id: string): Promise<StaffAlertResponse> {
    return this.step(user, id, 'cancel');
  }

  /**
   * pending_approval → broadcasting, by a consul of the mission who did not write it. In one transaction: the
   * transition, the signature over the canonical content (with the mission's emergency phone), one audit entry, and
   * the materialisation job. Nothing here is per recipient, so it answers as fast for 100,000 people as for one.
   */
  approve(user: AuthUser, id: string): Promise<StaffAlertResponse> {
    return this.uow.run(async (tx) => {
      const alert = await this.alerts.findInScope(tx.manager, user, id, { lock: true });
      if (!alert) throw AlertErrors.notFound.exception();
      if (alert.authorId === user.id) throw AlertErrors.ownApproval.exception();
      assertMayTakeAlertStep('approve', user.role);
      if (!nextAlertStatus('approve', alert.status)) throw AlertErrors.invalidTransition.exception(alert.status, ALERT_TRANSITIONS.approve.done);
      const mission = await this.missions.findByCode(tx.manager, alert.missionCode);
      const emergencyPhone = mission && emergencyPhoneOf(mission);
      if (!emergencyPhone) throw AlertErrors.noEmergencyPhone.exception(alert.missionCode);

      const approvedAt = new Date();
      const canonical = canonicalAlert(alertSignedContent(alert, approvedAt, emergencyPhone));
      const { signature, kid } = this.signing.sign(JSON.parse(canonical) as object);
      const nextRoundAt = alert.followUpEveryMinutes ? new Date(approvedAt.getTime() + alert.followUpEveryMinutes * 60_000) : null;
      const approved = await this.alerts.transition(tx.manager, alert, 'approve', user.id, {
        approvedBy: user.id,
        approvedAt,
        emergencyPhone,
        canonical,
        signature,
        kid,
        nextRoundAt,
      });
      this.auditStep(tx, user, approved, 'approve', { kid });
      await this.jobs.send('alerts.materialise', { alertId: approved.id }, { manager: tx.manager, singletonKey: approved.id });
      return staffAlertView(approved);
    });
  }

  /** A follow-up round now, to those who have not answered: audited here, sent by the follow-up job. */
  remind(user: AuthUser, id: string): Promise<StaffAlertResponse> {
    return this.uow.run(async (tx) => {
      const alert = await this.alerts.findInScope(tx.manager, user, id);
      if (!alert) throw AlertErrors.notFound.exception();
      if (!PUBLISHED_STATUSES.includes(alert.status)) throw AlertErrors.notBroadcast.exception(alert.status);
      tx.audit({ actor: user, action: 'alert.follow_up_requested', entityType: 'alert', entityId: alert.id, missionCode: alert.missionCode });
      await this.jobs.send('alerts.follow-up', { alertId: alert.id }, { manager: tx.manager });
      return staffAlertView(alert);
    });
  }

  async stats(user: AuthUser, id: string): Promise<AlertStatsResponse> {
    const alert = await this.inScope(user, id);
    return this.recipients.stats(this.uow.reader, alert.id);
  }

  /** The people of an alert by answer, with their contact details opened for this page only. */
  async responses(user: AuthUser, id: string, filter: ResponsesFilter, page: PageQuery): Promise<Page<AlertPersonResponse>> {
    const alert = await this.inScope(user, id);
    return mapPage(await this.recipients.responses(this.uow.reader, alert.id, filter, page), (row) => personResponseView(row, this.cipher));
  }

  /** Takes a person who asked for help off the work list (audited); 409 unless their latest answer is an open call for help. */
  markAssisted(user: AuthUser, id: string, personId: string): Promise<AssistedResponse> {
    return this.uow.run(async (tx) => {
      const alert = await this.alerts.findInScope(tx.manager, user, id);
      if (!alert) throw AlertErrors.notFound.exception();
      const recipient = await this.recipients.findForPerson(tx.manager, alert.id, personId, { lock: true });
      if (!recipient) throw AlertErrors.personNotFound.exception();
      const assisted = await this.recipients.markAssisted(tx.manager, alert.id, personId, user.id);
      if (!assisted?.assistedAt) throw AlertErrors.notNeedingHelp.exception();
      tx.audit({ actor: user, action: 'alert.person_assisted', entityType: 'alert', entityId: alert.id, missionCode: alert.missionCode, details: { personId } });
      return { personId, status: 'need_help', assistedAt: assisted.assistedAt.toISOString() };
    });
  }

  private async inScope(user: AuthUser, id: string): Promise<Alert> {
    const alert = await this.alerts.findInScope(this.uow.reader, user, id);
    if (!alert) throw AlertErrors.notFound.exception();
    return alert;
  }

  private step(user: AuthUser, id: string, action: Extract<AlertAction, 'submit' | 'cancel'>): Promise<StaffAlertResponse> {
    return this.uow.run(async (tx) => {
      const alert = await this.alerts.findInScope(tx.manager, user, id, { lock: true });
      if (!alert) throw AlertErrors.notFound.exception();
      assertMayTakeAlertStep(action, user.role);
      const changed = await this.alerts.transition(tx.manager, alert, action, user.id);
      this.auditStep(tx, user, changed, action);
      return staffAlertView(changed);
    });
  }

  private auditStep(tx: Transaction, user: AuthUser, alert: Alert, action: AlertAction, details?: Record<string, unknown>): void {
    const auditAction = ALERT_TRANSITIONS[action].auditAction;
    if (auditAction) tx.audit({ actor: user, action: auditAction, entityType: 'alert', entityId: alert.id, missionCode: alert.missionCode, details });
  }

  /** An update or all-clear follows a broadcast alert of the same mission. */
  private async supersedingProblems(tx: Transaction, missionCode: string, dto: CreateAlertDto): Promise<FieldError[]> {
    const problems: FieldError[] = [];
    const previous = dto.supersedes ? await this.alerts.findById(tx.manager, dto.supersedes) : null;
    if (!previous || previous.missionCode !== missionCode || !PUBLISHED_STATUSES.includes(previous.status)) {
      problems.push({ field: 'supersedes', message: 'supersedes must name a broadcast or sent alert of the same mission' });
    }
    if (dto.kind !== 'update' && dto.kind !== 'all_clear') problems.push({ field: 'kind', message: 'an alert that supersedes another is an update or an all_clear' });
    return problems;
  }
}

/** The area as stored and signed: only the parts given. */
function areaOf(dto: CreateAlertDto): AlertArea {
  const { countries, regions, circle } = dto.area;
  return {
    ...(countries?.length ? { countries: [...countries] } : {}),
    ...(regions?.length ? { regions: [...regions] } : {}),
    ...(circle ? { circle: { lat: circle.lat, lon: circle.lon, radiusKm: circle.radiusKm } } : {}),
  };
}
