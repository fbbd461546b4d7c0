import type { AuthUser } from '../common/auth/auth-user';
import { RowAudit } from '../audit/row-audit';
import { claimNextStatement, queueParams, queueSql } from './visa-queue.repository';

const user = (role: AuthUser['role'], missions: string[] = []): AuthUser => ({ id: 'u', email: 'u@example.org', role, missions, emailVerified: true, locale: 'en' });
const officer = user('officer', ['TAS', 'MOW']);

describe('the e-visa queue’s statement and parameters', () => {
  it('lists the work queue of the caller’s missions by default', () => {
    expect(queueParams(officer, {}, 20, null)).toEqual([['TAS', 'MOW'], ['submitted', 'in_review', 'info_requested'], 21]);
  });

  it('narrows to one of the caller’s missions, and lists nothing for a mission that is not theirs', () => {
    expect(queueParams(officer, { missionCode: 'MOW' }, 20, null)?.[0]).toEqual(['MOW']);
    expect(queueParams(officer, { missionCode: 'BER' }, 20, null)).toBeNull();
    expect(queueParams(user('officer'), {}, 20, null)).toBeNull();
    expect(queueParams(user('citizen'), {}, 20, null)).toBeNull();
  });

  it('gives an admin every mission (null: all of them) or the one asked for', () => {
    expect(queueParams(user('admin'), {}, 20, null)?.[0]).toBeNull();
    expect(queueParams(user('admin'), { missionCode: 'BER' }, 20, null)?.[0]).toEqual(['BER']);
  });

  it('counts as overdue only what still waits for the mission', () => {
    expect(queueParams(officer, { overdue: true }, 20, null)?.[1]).toEqual(['submitted', 'in_review']);
    expect(queueParams(officer, { overdue: true, status: 'issued' }, 20, null)).toBeNull();
    expect(queueSql({ overdue: true }, false)).toContain('AND r.due_at < now()');
    expect(queueSql({}, false)).not.toContain('now()');
  });

  it('writes the flag filter and the cursor into the statement only when asked', () => {
    expect(queueSql({ flagged: true }, false)).toContain('AND r.flagged');
    expect(queueSql({ flagged: false }, false)).toContain('AND NOT r.flagged');
    expect(queueSql({}, false)).not.toMatch(/flagged (?!AS)/);
    expect(queueSql({}, true)).toContain('(r.due_at, r.id) > ($4::timestamptz, $5::uuid)');
    const after = [new Date('2026-11-25T10:00:00.000Z'), '6f1c1a52-3f0e-4b8e-9a55-0c3b1d2e4f50'];
    expect(queueParams(officer, {}, 20, after)?.slice(3)).toEqual(after);
  });

  it('claims from the caller’s missions only, submitted to in_review, in a statement whose text does not change', () => {
    const audit = () =>
      new RowAudit({ occurredAt: new Date(), actorId: 'u', actorRole: 'officer', action: 'visa.claim', entityType: 'visa_application', ip: null, requestId: null, details: {} }, [
        'reference',
      ]);
    const first = claimNextStatement(officer, audit());
    expect(first?.values.slice(0, 4)).toEqual([['TAS', 'MOW'], 'u', 'submitted', 'in_review']);
    expect(claimNextStatement(officer, audit())?.text).toBe(first?.text);
    expect(claimNextStatement(user('officer'), audit())).toBeNull();
  });
});
