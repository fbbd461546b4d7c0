import type { Role } from '../common/auth/auth-user';
import type { DocumentRequestStatus } from './document-request.entity';
import { DocumentErrors } from './document.errors';
import type { IssuedDocumentStatus } from './issued-document.entity';

export interface DocumentTransition<S extends string> {
  from: readonly S[];
  to: S;
  /** Staff roles that may take it (a document type may narrow approval further: its `approverRoles`). */
  roles: readonly Role[];
  /** Audit action recorded with it. */
  auditAction: string;
  /** Past participle for the 409 message ("cannot be approved"), and the verb of the 403. */
  done: string;
  verb: string;
}

/**
 * A draft (a type paid online or with required files) is submitted by its owner once complete; a submitted request
 * is approved (which issues its document) or rejected, once, by the staff of its mission.
 */
export const DOCUMENT_REQUEST_TRANSITIONS = {
  submit: { from: ['draft'], to: 'submitted', roles: ['citizen'], auditAction: 'document_request.submitted', done: 'submitted', verb: 'submit' },
  approve: { from: ['submitted'], to: 'approved', roles: ['officer', 'consul'], auditAction: 'document.issued', done: 'approved', verb: 'approve' },
  reject: { from: ['submitted'], to: 'rejected', roles: ['officer', 'consul'], auditAction: 'document_request.rejected', done: 'rejected', verb: 'reject' },
} as const satisfies Record<string, DocumentTransition<DocumentRequestStatus>>;
export type DocumentRequestAction = keyof typeof DOCUMENT_REQUEST_TRANSITIONS;

/** An issued document is revoked by a consul of its mission; a revoked one stays revoked. */
export const ISSUED_DOCUMENT_TRANSITIONS = {
  revoke: { from: ['valid'], to: 'revoked', roles: ['consul'], auditAction: 'document.revoked', done: 'revoked', verb: 'revoke' },
} as const satisfies Record<string, DocumentTransition<IssuedDocumentStatus>>;

/**
 * The roles that may take a transition, narrowed by the document type's own list when it has one; a 403 for anyone
 * else. Records out of the caller's reach were already not found (404), so this speaks only to those in reach.
 */
export function assertMayTake<S extends string>(transition: DocumentTransition<S>, role: Role, narrowedTo?: readonly Role[]): void {
  const allowed = narrowedTo ? transition.roles.filter((r) => narrowedTo.includes(r)) : transition.roles;
  if (!allowed.includes(role)) throw DocumentErrors.roleNotAllowed.exception(transition.verb, allowed);
}
