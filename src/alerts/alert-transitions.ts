import type { Role } from '../common/auth/auth-user';
import type { AlertStatus } from './alert.entity';
import { AlertErrors } from './alert.errors';

export interface AlertTransition {
  from: readonly AlertStatus[];
  to: AlertStatus;
  /** Roles that may take it; empty for a step only the system takes. */
  roles: readonly Role[];
  /** Audit action recorded with it, or null when the step is not audited on its own. */
  auditAction: string | null;
  /** The timestamp column the step sets (to now, unless the caller gives the time). */
  stamp: 'submittedAt' | 'approvedAt' | 'sentAt' | 'cancelledAt';
  /** Past participle for the 409 message ("cannot be approved"), and the verb of the 403. */
  done: string;
  verb: string;
}

/**
 * The alert state machine, as data: a draft is submitted for approval, approved (by a consul who did not write it:
 * the service checks the author) into broadcasting, and marked sent by the system once every delivery is settled. A
 * draft or pending alert may be cancelled; a broadcasting or sent one never changes (a superseding alert follows it).
 */
export const ALERT_TRANSITIONS = {
  submit: { from: ['draft'], to: 'pending_approval', roles: ['officer', 'consul'], auditAction: 'alert.submitted', stamp: 'submittedAt', done: 'submitted', verb: 'submit' },
  approve: { from: ['pending_approval'], to: 'broadcasting', roles: ['consul'], auditAction: 'alert.approved', stamp: 'approvedAt', done: 'approved', verb: 'approve' },
  cancel: { from: ['draft', 'pending_approval'], to: 'cancelled', roles: ['officer', 'consul', 'admin'], auditAction: 'alert.cancelled', stamp: 'cancelledAt', done: 'cancelled', verb: 'cancel' },
  markSent: { from: ['broadcasting'], to: 'sent', roles: [], auditAction: null, stamp: 'sentAt', done: 'marked sent', verb: 'mark sent' },
} as const satisfies Record<string, AlertTransition>;
export type AlertAction = keyof typeof ALERT_TRANSITIONS;

/** Statuses in which an alert has been approved and signed: it is public, reaches people, and may be superseded. */
export const PUBLISHED_STATUSES: readonly AlertStatus[] = ['broadcasting', 'sent'];

/** The status an action leads to from `from`, or null when the table does not allow it. */
export function nextAlertStatus(action: AlertAction, from: AlertStatus): AlertStatus | null {
  const transition: AlertTransition = ALERT_TRANSITIONS[action];
  return transition.from.includes(from) ? transition.to : null;
}

/** A 403 for a role the transition does not list. Records out of the caller's missions were already not found (404). */
export function assertMayTakeAlertStep(action: AlertAction, role: Role): void {
  const transition: AlertTransition = ALERT_TRANSITIONS[action];
  if (!transition.roles.includes(role)) throw AlertErrors.roleNotAllowed.exception(transition.verb, transition.roles);
}
