import { DomainException } from '../common/http/domain.exception';
import { VISA_APPLICATION_STATUSES, VisaApplicationStatus } from './visa-application.entity';
import { assertMayTakeVisaAction, nextVisaStatus, VISA_APPLICATION_TRANSITIONS, VisaApplicationAction } from './visa-application-transitions';

const refusal = (run: () => void) => {
  try {
    run();
  } catch (error) {
    return error as DomainException;
  }
  return null;
};

/** The contract's state machine, written out edge by edge. */
const ALLOWED: [VisaApplicationAction, VisaApplicationStatus, VisaApplicationStatus][] = [
  ['submit', 'draft', 'submitted'],
  ['submit', 'info_requested', 'submitted'],
  ['withdraw', 'draft', 'withdrawn'],
  ['withdraw', 'submitted', 'withdrawn'],
  ['claim', 'submitted', 'in_review'],
  ['release', 'in_review', 'submitted'],
  ['requestInfo', 'in_review', 'info_requested'],
  ['approve', 'in_review', 'approved'],
  ['reject', 'in_review', 'rejected'],
  ['issue', 'approved', 'issued'],
  ['revoke', 'issued', 'revoked'],
];

describe('visa application transitions', () => {
  it('allows exactly the contract’s transitions and refuses every other pair', () => {
    const actions = Object.keys(VISA_APPLICATION_TRANSITIONS) as VisaApplicationAction[];
    for (const action of actions) {
      for (const from of VISA_APPLICATION_STATUSES) {
        const edge = ALLOWED.find(([a, f]) => a === action && f === from);
        expect([action, from, nextVisaStatus(action, from)]).toEqual([action, from, edge ? edge[2] : null]);
      }
    }
    expect(VISA_APPLICATION_TRANSITIONS.create).toMatchObject({ from: [], to: 'draft' });
  });

  it('lets the owner submit and withdraw, staff decide, the portal release and issue, and only a consul revoke', () => {
    expect(refusal(() => assertMayTakeVisaAction('submit', 'citizen'))).toBeNull();
    expect(refusal(() => assertMayTakeVisaAction('withdraw', 'officer'))).toMatchObject({ status: 403, code: 'role_not_allowed' });
    expect(refusal(() => assertMayTakeVisaAction('claim', 'officer'))).toBeNull();
    expect(refusal(() => assertMayTakeVisaAction('approve', 'citizen'))).toMatchObject({ status: 403 });
    expect(refusal(() => assertMayTakeVisaAction('release', 'officer'))).toMatchObject({ status: 403 });
    expect(refusal(() => assertMayTakeVisaAction('issue', 'system'))).toBeNull();
    expect(refusal(() => assertMayTakeVisaAction('revoke', 'consul'))).toBeNull();
    expect(refusal(() => assertMayTakeVisaAction('revoke', 'officer'))).toMatchObject({ status: 403, detail: 'Only consul may revoke this' });
  });

  it('narrows approval of a flagged application to a consul', () => {
    expect(refusal(() => assertMayTakeVisaAction('approve', 'officer', ['consul']))).toMatchObject({ status: 403, detail: 'Only consul may approve this' });
    expect(refusal(() => assertMayTakeVisaAction('approve', 'consul', ['consul']))).toBeNull();
  });
});
