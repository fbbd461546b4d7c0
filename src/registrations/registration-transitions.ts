import type { RegistrationStatus } from './registration.entity';

/** Everything that moves a registration from one status to another. */
export type RegistrationAction = 'verify' | 'reject' | 'end' | 'expire';

/** Why a registration ended, as stored in `ended_reason`. */
export type EndedReason = 'ended_by_citizen' | 'moved' | 'departed';

export interface RegistrationTransition {
  from: readonly RegistrationStatus[];
  to: RegistrationStatus;
  /** Audit action recorded with the change. */
  auditAction: string;
  /** Past participle for the 409 message ("cannot be verified"). */
  done: string;
}

/**
 * The registration state machine, as data: `pending` → `active` (verified) or `rejected`; a pending or active
 * registration is `ended` by its owner (or by a move out of the mission's jurisdiction); an active one expires after
 * its departure date. Anything else is a 409.
 */
export const REGISTRATION_TRANSITIONS: Readonly<Record<RegistrationAction, RegistrationTransition>> = {
  verify: { from: ['pending'], to: 'active', auditAction: 'registration.verified', done: 'verified' },
  reject: { from: ['pending'], to: 'rejected', auditAction: 'registration.rejected', done: 'rejected' },
  end: { from: ['pending', 'active'], to: 'ended', auditAction: 'registration.ended', done: 'ended' },
  expire: { from: ['active'], to: 'ended', auditAction: 'registration.ended', done: 'expired' },
};

/** Statuses in which a registration is open: it counts against "one per mission" and its owner may update it. */
export const OPEN_STATUSES: readonly RegistrationStatus[] = ['pending', 'active'];

/** The status an action leads to from `from`, or null when the table does not allow it. */
export function nextStatus(action: RegistrationAction, from: RegistrationStatus): RegistrationStatus | null {
  const transition = REGISTRATION_TRANSITIONS[action];
  return transition.from.includes(from) ? transition.to : null;
}
