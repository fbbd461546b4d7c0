import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthUser } from '../common/auth/auth-user';
import { Transaction, UnitOfWork } from '../common/database/unit-of-work';
import { DocumentVerificationService } from '../documents/document-verification.service';
import { MailService } from '../notifications/mail.service';
import type { EvisaStatus } from './evisa.entity';
import { EvisaErrors } from './evisa.errors';
import { VISA_NUMBER_PATTERN } from './evisa-issuer';
import { EvisasRepository } from './evisas.repository';
import { EVISA_ATTACHMENT } from './visa-mailer';

export interface EvisaSummary {
  applicantId: string;
  visaNumber: string;
  /** YYYY-MM-DD. */
  validFrom: string;
  /** YYYY-MM-DD, the last day. */
  validUntil: string;
  status: EvisaStatus;
}

/**
 * Issued e-visas after issuance: the holder's download, revocation (called by the staff's revoke inside its own unit
 * of work), and what other modules read: /verify resolves visa numbers here, e-mails load the attached PDF here.
 */
@Injectable()
export class EvisasService implements OnModuleInit {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly evisas: EvisasRepository,
    private readonly verification: DocumentVerificationService,
    private readonly mail: MailService,
  ) {}

  onModuleInit(): void {
    this.verification.registerSource({ pattern: VISA_NUMBER_PATTERN, find: (visaNumber) => this.evisas.forVerification(visaNumber) });
    this.mail.registerAttachmentSource(EVISA_ATTACHMENT, async (id) => {
      const evisa = await this.evisas.pdfById(this.uow.reader, id);
      return evisa && { filename: `evisa-${evisa.visaNumber}.pdf`, contentType: 'application/pdf', content: evisa.pdf };
    });
  }

  /** The PDF of an e-visa on the caller's own application: a group member's with `applicantId`, else the lead's. */
  async pdf(user: AuthUser, applicationId: string, applicantId?: string): Promise<{ visaNumber: string; pdf: Buffer }> {
    const found = await this.evisas.findOwnPdf(this.uow.reader, user, applicationId, applicantId);
    if (!found) throw EvisaErrors.notFound.exception();
    return found;
  }

  /**
   * The e-visas of an application, lead applicant's first: what a status answer or an application view may tell
   * (visa number, validity, status), without the PDF or the holder's data.
   */
  async issuedFor(applicationId: string, manager: EntityManager = this.uow.reader): Promise<EvisaSummary[]> {
    return (await this.evisas.forApplication(manager, applicationId)).map((evisa) => ({
      applicantId: evisa.applicantId,
      visaNumber: evisa.visaNumber,
      validFrom: evisa.validFrom,
      validUntil: evisa.validUntil,
      status: evisa.status,
    }));
  }

  /**
   * Revokes every valid e-visa of an application, in the caller's unit of work (the staff's revoke, which moves the
   * application to `revoked`): /verify says `revoked` from the commit on. Audited per visa number.
   */
  async revokeForApplication(tx: Transaction, applicationId: string, actor: AuthUser, reason: string, missionCode: string): Promise<string[]> {
    const revoked = await this.evisas.revokeForApplication(tx.manager, applicationId, actor.id, reason);
    for (const visaNumber of revoked) {
      tx.audit({ actor, action: 'evisa.revoked', entityType: 'evisa', entityId: visaNumber, missionCode, details: { applicationId } });
    }
    return revoked;
  }
}
