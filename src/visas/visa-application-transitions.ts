import type { Role } from '../common/auth/auth-user';
import type { VisaApplicationStatus } from './visa-application.entity';
import { VisaErrors } from './visa.errors';

/** Who takes a transition: a role of the caller, or the portal itself (claim timeout, issuance job). */
export type VisaActor = Role | 'system';

export interface VisaApplicationTransition {
  /** Statuses it leaves from; empty for `create`, which makes the draft. */
  from: readonly VisaApplicationStatus[];
  to: VisaApplicationStatus;
  /** Who may take it; the owner's actions are `citizen` (ownership itself is in the query: someone else's is a 404). */
  actors: readonly VisaActor[];
  /** Audit action recorded with it. */
  auditAction: string;
  /** Past participle for the 409 message ("cannot be withdrawn"), and the verb of the 403. */
  done: string;
  verb: string;
}

/**
 * The e-visa state machine, as data: `draft` → `submitted` → `in_review` → (`info_requested` → `submitted`) →
 * `approved` → `issued`, or `rejected`; `withdrawn` from `draft` or `submitted`; `revoked` from `issued`. A claim
 * left untouched is released back to `submitted`. A flagged application needs a consul to approve (the staff service
 * narrows `approve` for it). Anything else is a 409.
 */
export const VISA_APPLICATION_TRANSITIONS = {
  create: { from: [], to: 'draft', actors: ['citizen'], auditAction: 'visa_application.created', done: 'created', verb: 'create' },
  submit: { from: ['draft', 'info_requested'], to: 'submitted', actors: ['citizen'], auditAction: 'visa_application.submitted', done: 'submitted', verb: 'submit' },
  withdraw: { from: ['draft', 'submitted'], to: 'withdrawn', actors: ['citizen'], auditAction: 'visa_application.withdrawn', done: 'withdrawn', verb: 'withdraw' },
  claim: { from: ['submitted'], to: 'in_review', actors: ['officer', 'consul'], auditAction: 'visa_application.claimed', done: 'claimed', verb: 'claim' },
  release: { from: ['in_review'], to: 'submitted', actors: ['system'], auditAction: 'visa_application.released', done: 'released', verb: 'release' },
  requestInfo: {
    from: ['in_review'],
    to: 'info_requested',
    actors: ['officer', 'consul'],
    auditAction: 'visa_application.info_requested',
    done: 'sent back for information',
    verb: 'request information on',
  },
  approve: { from: ['in_review'], to: 'approved', actors: ['officer', 'consul'], auditAction: 'visa_application.approved', done: 'approved', verb: 'approve' },
  reject: { from: ['in_review'], to: 'rejected', actors: ['officer', 'consul'], auditAction: 'visa_application.rejected', done: 'rejected', verb: 'reject' },
  issue: { from: ['approved'], to: 'issued', actors: ['system'], auditAction: 'visa_application.issued', done: 'issued', verb: 'issue' },
  revoke: { from: ['issued'], to: 'revoked', actors: ['consul'], auditAction: 'visa_application.revoked', done: 'revoked', verb: 'revoke' },
} as const satisfies Record<string, VisaApplicationTransition>;

export type VisaApplicationAction = keyof typeof VISA_APPLICATION_TRANSITIONS;

/** Statuses in which an application is open: it counts for the duplicate-passport screening. */
export const OPEN_VISA_STATUSES: readonly VisaApplicationStatus[] = ['submitted', 'in_review', 'info_requested', 'approved'];

/** Statuses in which the owner may still change the application's data. */
export const EDITABLE_VISA_STATUSES: readonly VisaApplicationStatus[] = ['draft', 'info_requested'];

/** The status an action leads to from `from`, or null when the table does not allow it. */
export function nextVisaStatus(action: VisaApplicationAction, from: VisaApplicationStatus): VisaApplicationStatus | null {
  const transition: VisaApplicationTransition = VISA_APPLICATION_TRANSITIONS[action];
  return transition.from.includes(from) ? transition.to : null;
}

/**
 * A 403 unless `actor` may take the action; `narrowedTo` narrows it further (a flagged application: approve only by a
 * consul). Records out of the caller's reach were already not found (404), so this speaks only to those in reach.
 */
export function assertMayTakeVisaAction(action: VisaApplicationAction, actor: VisaActor, narrowedTo?: readonly VisaActor[]): void {
  const transition: VisaApplicationTransition = VISA_APPLICATION_TRANSITIONS[action];
  const allowed = narrowedTo ? transition.actors.filter((a) => narrowedTo.includes(a)) : transition.actors;
  if (!allowed.includes(actor)) throw VisaErrors.roleNotAllowed.exception(transition.verb, allowed);
}
