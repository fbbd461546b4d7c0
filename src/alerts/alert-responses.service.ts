import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CommonErrors } from '../common/http/common.errors';
import type { AlertRecipient } from './alert-recipient.entity';
import { AlertErrors } from './alert.errors';
import { AlertAnswer, AlertRecipientsRepository } from './alert-recipients.repository';
import { answerProblems } from './alert-rules';

/**
 * The one way a safety answer is recorded, whoever brings it: a signed-in citizen (POST /alerts/:id/response) or
 * the one-click respond page (POST /respond/:token), each in its own transaction. The latest answer counts.
 * Answers to an expired alert are recorded all the same: people answer late, and a late "I need help" matters.
 * (A recipient row exists only for an alert that was approved, so a cancelled alert has none to answer.)
 */
@Injectable()
export class AlertResponsesService {
  constructor(private readonly recipients: AlertRecipientsRepository) {}

  async recordResponse(manager: EntityManager, recipientId: string, answer: AlertAnswer): Promise<AlertRecipient> {
    const problems = answerProblems(answer);
    if (problems.length > 0) throw CommonErrors.validationFailed.withFields(problems);
    const recipient = await this.recipients.findById(manager, recipientId, { lock: true });
    if (!recipient) throw AlertErrors.personNotFound.exception();
    const message = answer.message?.trim() || null;
    return this.recipients.recordAnswer(manager, recipient.id, { status: answer.status, message, location: answer.location ?? null });
  }
}
