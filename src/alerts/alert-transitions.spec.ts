import type { DomainException } from '../common/http/domain.exception';
import type { AlertStatus } from './alert.entity';
import { ALERT_STATUSES } from './alert.entity';
import { ALERT_TRANSITIONS, AlertAction, assertMayTakeAlertStep, nextAlertStatus } from './alert-transitions';

const refusal = (run: () => void): DomainException | null => {
  try {
    run();
  } catch (error) {
    return error as DomainException;
  }
  return null;
};

describe('alert transitions', () => {
  it('allows exactly the documented moves', () => {
    const allowed = (Object.keys(ALERT_TRANSITIONS) as AlertAction[]).flatMap((action) =>
      ALERT_STATUSES.flatMap((from: AlertStatus) => {
        const to = nextAlertStatus(action, from);
        return to ? [`${action}: ${from} → ${to}`] : [];
      }),
    );
    expect(allowed.sort()).toEqual(
      [
        'submit: draft → pending_approval',
        'approve: pending_approval → broadcasting',
        'cancel: draft → cancelled',
        'cancel: pending_approval → cancelled',
        'markSent: broadcasting → sent',
      ].sort(),
    );
  });

  it('never leaves a sent or cancelled alert, and never cancels one already broadcast', () => {
    for (const action of Object.keys(ALERT_TRANSITIONS) as AlertAction[]) {
      expect(nextAlertStatus(action, 'sent')).toBeNull();
      expect(nextAlertStatus(action, 'cancelled')).toBeNull();
    }
    expect(nextAlertStatus('cancel', 'broadcasting')).toBeNull();
  });

  it('lets only a consul approve', () => {
    expect(refusal(() => assertMayTakeAlertStep('approve', 'consul'))).toBeNull();
    for (const role of ['officer', 'admin', 'citizen'] as const) {
      expect(refusal(() => assertMayTakeAlertStep('approve', role))).toMatchObject({ status: 403, code: 'role_not_allowed', detail: 'Only consul may approve this alert' });
    }
  });

  it('lets officers and consuls submit, staff cancel, and nobody mark sent by hand', () => {
    expect(refusal(() => assertMayTakeAlertStep('submit', 'officer'))).toBeNull();
    expect(refusal(() => assertMayTakeAlertStep('submit', 'consul'))).toBeNull();
    expect(refusal(() => assertMayTakeAlertStep('submit', 'citizen'))).toMatchObject({ status: 403 });
    for (const role of ['officer', 'consul', 'admin'] as const) expect(refusal(() => assertMayTakeAlertStep('cancel', role))).toBeNull();
    expect(refusal(() => assertMayTakeAlertStep('markSent', 'admin'))).toMatchObject({ status: 403, detail: 'No one may mark sent this alert by hand' });
  });
});
