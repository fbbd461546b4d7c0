import type { RegistrationStatus } from './registration.entity';
import { nextStatus, OPEN_STATUSES, REGISTRATION_TRANSITIONS, RegistrationAction } from './registration-transitions';

describe('registration transitions', () => {
  const statuses: RegistrationStatus[] = ['pending', 'active', 'rejected', 'ended'];

  it('allows exactly the documented moves', () => {
    const allowed = (Object.keys(REGISTRATION_TRANSITIONS) as RegistrationAction[]).flatMap((action) =>
      statuses.flatMap((from) => {
        const to = nextStatus(action, from);
        return to ? [`${action}: ${from} → ${to}`] : [];
      }),
    );
    expect(allowed.sort()).toEqual(
      [
        'verify: pending → active',
        'reject: pending → rejected',
        'end: pending → ended',
        'end: active → ended',
        'expire: active → ended',
      ].sort(),
    );
  });

  it('never leaves a closed registration', () => {
    for (const action of Object.keys(REGISTRATION_TRANSITIONS) as RegistrationAction[]) {
      expect(nextStatus(action, 'rejected')).toBeNull();
      expect(nextStatus(action, 'ended')).toBeNull();
    }
  });

  it('treats pending and active as open', () => {
    expect([...OPEN_STATUSES].sort()).toEqual(['active', 'pending']);
  });
});
