import type { EntityManager } from 'typeorm';

/**
 * The hook through which revoking an application revokes the e-visas issued on it: the issuance side provides it
 * (`{ provide: ISSUED_VISA_REVOKER, useExisting: <its service> }` in VisasModule), and StaffVisasService calls it in
 * the revoking transaction, so `/verify` says "revoked" from the same commit on.
 */
export interface IssuedVisaRevoker {
  /** Marks every e-visa issued on the application revoked; returns how many were. Safe to call twice. */
  revokeForApplication(manager: EntityManager, applicationId: string, actorId: string, reason: string | null): Promise<number>;
}

export const ISSUED_VISA_REVOKER = Symbol('IssuedVisaRevoker');
