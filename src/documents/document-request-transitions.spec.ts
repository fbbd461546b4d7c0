import { DomainException } from '../common/http/domain.exception';
import { assertMayTake, DOCUMENT_REQUEST_TRANSITIONS, ISSUED_DOCUMENT_TRANSITIONS } from './document-request-transitions';

const refusal = (run: () => void) => {
  try {
    run();
  } catch (error) {
    return error as DomainException;
  }
  return null;
};

describe('document transitions', () => {
  it('lets officers and consuls decide requests, within what the document type allows', () => {
    expect(refusal(() => assertMayTake(DOCUMENT_REQUEST_TRANSITIONS.approve, 'officer', ['officer', 'consul']))).toBeNull();
    expect(refusal(() => assertMayTake(DOCUMENT_REQUEST_TRANSITIONS.reject, 'officer'))).toBeNull();
    const narrowed = refusal(() => assertMayTake(DOCUMENT_REQUEST_TRANSITIONS.approve, 'officer', ['consul']));
    expect(narrowed).toMatchObject({ status: 403, code: 'role_not_allowed', detail: 'Only consul may approve this' });
    expect(refusal(() => assertMayTake(DOCUMENT_REQUEST_TRANSITIONS.approve, 'admin'))).toMatchObject({ status: 403 });
  });

  it('lets only consuls revoke an issued document', () => {
    expect(refusal(() => assertMayTake(ISSUED_DOCUMENT_TRANSITIONS.revoke, 'consul'))).toBeNull();
    expect(refusal(() => assertMayTake(ISSUED_DOCUMENT_TRANSITIONS.revoke, 'officer'))).toMatchObject({ status: 403, code: 'role_not_allowed' });
  });

  it('decides a request once: from submitted only', () => {
    expect(DOCUMENT_REQUEST_TRANSITIONS.approve.from).toEqual(['submitted']);
    expect(DOCUMENT_REQUEST_TRANSITIONS.reject.from).toEqual(['submitted']);
    expect(ISSUED_DOCUMENT_TRANSITIONS.revoke).toMatchObject({ from: ['valid'], to: 'revoked' });
  });

  it('lets only the owning citizen take a draft into the queue, and a draft is never decided', () => {
    expect(DOCUMENT_REQUEST_TRANSITIONS.submit).toMatchObject({ from: ['draft'], to: 'submitted', roles: ['citizen'] });
    expect(refusal(() => assertMayTake(DOCUMENT_REQUEST_TRANSITIONS.submit, 'officer'))).toMatchObject({ status: 403 });
    for (const action of ['approve', 'reject'] as const) expect(DOCUMENT_REQUEST_TRANSITIONS[action].from).not.toContain('draft');
  });
});
