import { Injectable } from '@nestjs/common';
import { AuthUser } from '../common/auth/auth-user';
import { UnitOfWork } from '../common/database/unit-of-work';
import { Page, PageQuery } from '../common/http/pagination';
import { AlertErrors } from './alert.errors';
import { AlertRecipientsRepository } from './alert-recipients.repository';
import { AlertResponsesService } from './alert-responses.service';
import { answerView, citizenAlertView } from './alert-views';
import { AlertsRepository } from './alerts.repository';
import { AlertAnswerDto } from './dto/alert-queries.dto';
import { AlertAnswerResponse, CitizenAlertResponse } from './dto/alert.response';

/** A citizen's alerts: those delivered to them, and their safety answers. */
@Injectable()
export class AlertsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly alerts: AlertsRepository,
    private readonly recipients: AlertRecipientsRepository,
    private readonly responses: AlertResponsesService,
  ) {}

  async list(user: AuthUser, page: PageQuery): Promise<Page<CitizenAlertResponse>> {
    const rows = await this.recipients.listForPerson(this.uow.reader, user.id, page);
    const alerts = new Map((await this.alerts.findByIds(this.uow.reader, rows.items.map((r) => r.alertId))).map((a) => [a.id, a]));
    return { items: rows.items.map((r) => citizenAlertView(alerts.get(r.alertId)!, r)), nextCursor: rows.nextCursor };
  }

  /** Records my answer to an alert delivered to me; someone else's alert (or one never delivered to me) is a 404. */
  respond(user: AuthUser, alertId: string, dto: AlertAnswerDto): Promise<AlertAnswerResponse> {
    return this.uow.run(async (tx) => {
      const recipient = await this.recipients.findForPerson(tx.manager, alertId, user.id);
      if (!recipient) throw AlertErrors.notFound.exception();
      const answered = await this.responses.recordResponse(tx.manager, recipient.id, {
        status: dto.status,
        message: dto.message,
        location: dto.location ? { lat: dto.location.lat, lon: dto.location.lon } : null,
      });
      return answerView(answered);
    });
  }
}
