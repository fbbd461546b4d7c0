import { VisaClaimReleaseService } from '../src/visas/visa-claim-release.service';
import { VisaDigestService } from '../src/visas/visa-digest.service';
import { Account, createAccount, expectProblem, startTestApp, TestApp } from './support/test-app';
import { seedVisaApplications } from './support/visa-seed';

const API = '/api/v1';
const STAFF = `${API}/staff/visa-applications`;

describe('E-visa staff: queue, claims, decisions, stale claims, deadline digest', () => {
  let t: TestApp;
  let admin: Account;
  let citizen: Account;

  const post = (account: Account, path: string, body?: Record<string, unknown>) => t.http().post(`${STAFF}${path}`).set(account.auth).send(body);
  const queue = (account: Account, query: Record<string, string> = {}) => t.http().get(STAFF).query(query).set(account.auth);
  const statusOf = async (id: string) =>
    ((await t.db.query(`SELECT status, assigned_to, claimed_at FROM visa_applications WHERE id = $1`, [id])) as { status: string; assigned_to: string | null; claimed_at: Date | null }[])[0];
  const historyOf = async (id: string) =>
    (await t.db.query(`SELECT from_status, to_status, action, actor_id, note FROM visa_application_history WHERE application_id = $1 ORDER BY id`, [id])) as {
      from_status: string;
      to_status: string;
      action: string;
      actor_id: string | null;
      note: string | null;
    }[];
  const auditOf = async (id: string) =>
    ((await t.auditQuery(`SELECT action, actor_id, mission_code FROM audit_events WHERE entity_id = $1 ORDER BY id`, [id])) as { action: string; actor_id: string | null; mission_code: string }[]);
  const staff = (role: 'officer' | 'consul', missions: string[]) => createAccount(t, { role, missions, fullName: `Test ${role}` });

  beforeAll(async () => {
    t = await startTestApp({ VISA_CLAIM_TIMEOUT_MINUTES: '30' });
    [admin, citizen] = await Promise.all([createAccount(t, { role: 'admin' }), createAccount(t, { role: 'citizen' })]);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('30 concurrent claim-next calls on 10 applications give 10 distinct claims and 20 × 204', async () => {
    const officers = await Promise.all(Array.from({ length: 6 }, () => staff('officer', ['LON'])));
    const seeded = await seedVisaApplications(t, 10, { missionCode: 'LON' });
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => post(officers[i % officers.length], '/claim-next')));
    const claimed = answers.filter((a) => a.status === 200);
    expect(claimed).toHaveLength(10);
    expect(answers.filter((a) => a.status === 204)).toHaveLength(20);
    expect(answers.every((a) => a.status === 200 || a.status === 204)).toBe(true);
    const ids = claimed.map((a) => a.body.id as string);
    expect(new Set(ids).size).toBe(10);
    expect(ids.sort()).toEqual(seeded.map((s) => s.id).sort());
    for (const answer of claimed) {
      expect(answer.body.status).toBe('in_review');
      const stored = await statusOf(answer.body.id);
      expect(stored.status).toBe('in_review');
      // assigned to the officer whose call got it
      expect(officers.map((o) => o.id)).toContain(stored.assigned_to);
      expect(answer.body.assignedTo).toBe(stored.assigned_to);
      expect((await historyOf(answer.body.id)).filter((h) => h.action === 'claim')).toHaveLength(1);
      expect((await auditOf(answer.body.id)).map((a) => a.action)).toEqual(['visa_application.claimed']);
    }
    // nothing left: a further call is an empty 204
    const empty = await post(officers[0], '/claim-next');
    expect(empty.status).toBe(204);
    expect(empty.text).toBe('');
  });

  it('claim-next hands out the earliest deadline first, only from the caller’s missions', async () => {
    const officer = await staff('officer', ['PAR']);
    const [, earliest] = await seedVisaApplications(t, 2, { missionCode: 'PAR', dueAt: (i) => new Date(Date.now() + (2 - i) * 3_600_000) });
    await seedVisaApplications(t, 1, { missionCode: 'ANK', dueAt: new Date(Date.now() - 3_600_000) });
    const first = await post(officer, '/claim-next').expect(200);
    expect(first.body.id).toBe(earliest.id);
    expect(first.body.applicants).toHaveLength(1);
    expect(first.body.applicants[0].passportNumberMasked).toMatch(/^C\*{5}\d{2}$/);
    await post(officer, '/claim-next').expect(200);
    // the ANK application is overdue but not this officer's
    await post(officer, '/claim-next').expect(204);
    expectProblem(await post(admin, '/claim-next'), 403);
    expectProblem(await post(citizen, '/claim-next'), 403);
  });

  it('claim-next takes the earliest deadline across all the caller’s missions, and answers what GET answers', async () => {
    const officer = await staff('officer', ['WAS', 'NYC']);
    const soon = (hours: number) => new Date(Date.now() + hours * 3_600_000);
    const [later] = await seedVisaApplications(t, 1, { missionCode: 'WAS', dueAt: soon(3) });
    const [earliest] = await seedVisaApplications(t, 1, { missionCode: 'NYC', dueAt: soon(1), people: 3 });
    const [middle] = await seedVisaApplications(t, 1, { missionCode: 'WAS', dueAt: soon(2) });
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      const claimed = await post(officer, '/claim-next').expect(200);
      order.push(claimed.body.id);
      // The claim's answer is built from the row the claim returned; it matches a fresh read, field for field.
      const read = await t.http().get(`${STAFF}/${claimed.body.id}`).set(officer.auth).expect(200);
      const { history, ...fresh } = read.body;
      expect(history.map((h: { action: string }) => h.action)).toContain('claim');
      expect(claimed.body).toEqual(fresh);
    }
    expect(order).toEqual([earliest.id, middle.id, later.id]);
    await post(officer, '/claim-next').expect(204);
  });

  it('lists the queue by deadline with keyset pages and filters, within the caller’s missions', async () => {
    const officer = await staff('officer', ['IST', 'SEL']);
    const now = Date.now();
    const overdue = await seedVisaApplications(t, 2, { missionCode: 'IST', dueAt: (i) => new Date(now - (i + 1) * 3_600_000) });
    const upcoming = await seedVisaApplications(t, 2, { missionCode: 'SEL', dueAt: (i) => new Date(now + (i + 1) * 3_600_000) });
    const flagged = await seedVisaApplications(t, 1, { missionCode: 'SEL', flagged: true, dueAt: new Date(now + 10 * 3_600_000), people: 3 });
    const issued = await seedVisaApplications(t, 1, { missionCode: 'IST', status: 'issued', staffId: officer.id });
    await seedVisaApplications(t, 1, { missionCode: 'PEK' });

    const expectedOrder = [overdue[1], overdue[0], upcoming[0], upcoming[1], flagged[0]].map((a) => a.id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await queue(officer, { limit: '2', ...(cursor ? { cursor } : {}) }).expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((i: { id: string }) => i.id));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(expectedOrder);

    const first = (await queue(officer).expect(200)).body.items;
    expect(first[0]).toEqual(
      expect.objectContaining({ id: overdue[1].id, reference: overdue[1].reference, missionCode: 'IST', status: 'submitted', overdue: true, people: 1 }),
    );
    expect(first.find((i: { id: string }) => i.id === flagged[0].id)).toEqual(expect.objectContaining({ flagged: true, people: 3, overdue: false }));

    const ids = async (query: Record<string, string>) => (await queue(officer, query).expect(200)).body.items.map((i: { id: string }) => i.id);
    expect(await ids({ overdue: 'true' })).toEqual([overdue[1].id, overdue[0].id]);
    expect(await ids({ flagged: 'true' })).toEqual([flagged[0].id]);
    expect(await ids({ flagged: 'false', missionCode: 'SEL' })).toEqual(upcoming.map((a) => a.id));
    expect(await ids({ missionCode: 'sel' })).toEqual([...upcoming, ...flagged].map((a) => a.id));
    expect(await ids({ status: 'issued' })).toEqual(issued.map((a) => a.id));
    // a mission that is not the caller's lists nothing rather than someone else's work
    expect(await ids({ missionCode: 'PEK' })).toEqual([]);

    expectProblem(await queue(officer, { status: 'draft' }), 400);
    expectProblem(await queue(officer, { overdue: 'yes' }), 400);
    expectProblem(await queue(officer, { missionCode: 'PEK;DROP' }), 400);
    expectProblem(await queue(officer, { cursor: 'forged.cursor' }), 400);
    expectProblem(await queue(citizen), 403);
    // an admin sees every mission
    const all = (await queue(admin, { limit: '100' }).expect(200)).body.items.map((i: { id: string }) => i.id);
    expect(all).toEqual(expect.arrayContaining(expectedOrder));
  });

  it('another mission’s application is not found (404) for every staff route', async () => {
    const officer = await staff('officer', ['NYC']);
    const consul = await staff('consul', ['NYC']);
    const [elsewhere] = await seedVisaApplications(t, 1, { missionCode: 'WAS' });
    const [issuedElsewhere] = await seedVisaApplications(t, 1, { missionCode: 'WAS', status: 'issued', staffId: consul.id });
    expectProblem(await t.http().get(`${STAFF}/${elsewhere.id}`).set(officer.auth), 404);
    for (const path of ['claim', 'request-info', 'approve', 'reject']) {
      const body = path === 'request-info' ? { reason: 'Please upload a sharper scan.' } : path === 'reject' ? { reason: 'documents_invalid' } : {};
      expectProblem(await post(officer, `/${elsewhere.id}/${path}`, body), 404);
    }
    expectProblem(await post(consul, `/${issuedElsewhere.id}/revoke`, {}), 404);
    expect((await statusOf(elsewhere.id)).status).toBe('submitted');
    expectProblem(await t.http().get(`${STAFF}/not-a-uuid`).set(officer.auth), 400);
  });

  it('every transition the state does not allow is a 409', async () => {
    const officer = await staff('officer', ['DXB']);
    const other = await staff('officer', ['DXB']);
    const consul = await staff('consul', ['DXB']);
    const [submitted] = await seedVisaApplications(t, 1, { missionCode: 'DXB' });
    const [inReview] = await seedVisaApplications(t, 1, { missionCode: 'DXB', status: 'in_review', staffId: officer.id });
    const [approved] = await seedVisaApplications(t, 1, { missionCode: 'DXB', status: 'approved', staffId: officer.id });
    const [issued] = await seedVisaApplications(t, 1, { missionCode: 'DXB', status: 'issued', staffId: officer.id });
    const [rejected] = await seedVisaApplications(t, 1, { missionCode: 'DXB', status: 'rejected', staffId: officer.id });
    const [infoRequested] = await seedVisaApplications(t, 1, { missionCode: 'DXB', status: 'info_requested' });
    const [withdrawn] = await seedVisaApplications(t, 1, { missionCode: 'DXB', status: 'withdrawn' });

    const cases: [Account, string, string, Record<string, unknown>?][] = [
      [consul, submitted.id, 'approve'],
      [consul, submitted.id, 'reject', { reason: 'documents_invalid' }],
      [consul, submitted.id, 'request-info', { reason: 'Please add your hotel booking.' }],
      [consul, submitted.id, 'revoke'],
      [consul, inReview.id, 'revoke'],
      [officer, approved.id, 'claim'],
      [consul, approved.id, 'approve'],
      [consul, approved.id, 'reject', { reason: 'documents_invalid' }],
      [consul, issued.id, 'claim'],
      [consul, issued.id, 'approve'],
      [consul, rejected.id, 'approve'],
      [consul, rejected.id, 'revoke'],
      [officer, infoRequested.id, 'claim'],
      [consul, infoRequested.id, 'approve'],
      [officer, withdrawn.id, 'claim'],
      [consul, withdrawn.id, 'request-info', { reason: 'Please add your hotel booking.' }],
    ];
    for (const [account, id, action, body] of cases) {
      const before = await statusOf(id);
      const answer = await post(account, `/${id}/${action}`, body ?? {});
      expectProblem(answer, 409);
      expect(answer.body.code).toBe('invalid_transition');
      expect(await statusOf(id)).toEqual(before);
    }
    // held by another officer: a 409 that says so
    const held = await post(other, `/${inReview.id}/claim`);
    expectProblem(held, 409);
    expect(held.body.code).toBe('visa_application_claimed');
    expect((await statusOf(inReview.id)).assigned_to).toBe(officer.id);
  });

  it('claims a specific application, and only its officer (or a consul) decides it', async () => {
    const officer = await staff('officer', ['AUH']);
    const other = await staff('officer', ['AUH']);
    const [application] = await seedVisaApplications(t, 1, { missionCode: 'AUH' });
    const claimed = await post(officer, `/${application.id}/claim`).expect(200);
    expect(claimed.body).toEqual(expect.objectContaining({ status: 'in_review', assignedTo: officer.id }));
    const firstClaimAt = (await statusOf(application.id)).claimed_at as Date;
    // claiming one's own claim again restarts its time, without a second history row
    await new Promise((r) => setTimeout(r, 20));
    await post(officer, `/${application.id}/claim`).expect(200);
    expect(((await statusOf(application.id)).claimed_at as Date).getTime()).toBeGreaterThan(firstClaimAt.getTime());
    expect((await historyOf(application.id)).filter((h) => h.action === 'claim')).toHaveLength(1);

    const notMine = await post(other, `/${application.id}/reject`, { reason: 'documents_invalid' });
    expectProblem(notMine, 403);
    expect(notMine.body.code).toBe('visa_application_not_assigned');
    expectProblem(await post(other, `/${application.id}/approve`), 403);
    expect((await statusOf(application.id)).status).toBe('in_review');
  });

  it('request-info e-mails the applicant the reason and releases the claim', async () => {
    const officer = await staff('officer', ['NQZ']);
    const [application] = await seedVisaApplications(t, 1, { missionCode: 'NQZ', status: 'in_review', staffId: officer.id, locale: 'uz' });
    const reason = 'Pasport skaneri xira: iltimos, aniq nusxasini yuklang.';
    expectProblem(await post(officer, `/${application.id}/request-info`, {}), 400);
    expectProblem(await post(officer, `/${application.id}/request-info`, { reason: 'x'.repeat(1001) }), 400);
    const answer = await post(officer, `/${application.id}/request-info`, { reason }).expect(200);
    expect(answer.body).toEqual(expect.objectContaining({ status: 'info_requested', assignedTo: null, claimedAt: null }));
    const mail = await t.mailbox.waitFor(application.email, (m) => m.subject.includes(application.reference));
    expect(mail.subject).toMatch(/qoʻshimcha maʼlumot kerak/);
    expect(mail.text).toContain(reason);
    expect(mail.text).toContain(`/visa-applications/${application.id}`);
    const history = await historyOf(application.id);
    expect(history.at(-1)).toEqual(expect.objectContaining({ from_status: 'in_review', to_status: 'info_requested', action: 'requestInfo', actor_id: officer.id, note: reason }));
    expect((await auditOf(application.id)).map((a) => a.action)).toEqual(['visa_application.info_requested']);
  });

  it('reject takes a reason code of the rules and tells the applicant its text in their language', async () => {
    const officer = await staff('officer', ['ALA']);
    const [application] = await seedVisaApplications(t, 1, { missionCode: 'ALA', status: 'in_review', staffId: officer.id, locale: 'ru', people: 2 });
    const unknown = await post(officer, `/${application.id}/reject`, { reason: 'looks_suspicious' });
    expectProblem(unknown, 422);
    expect(unknown.body.code).toBe('unknown_reason_code');
    expectProblem(await post(officer, `/${application.id}/reject`, { reason: 'Not A Code' }), 400);
    expect((await statusOf(application.id)).status).toBe('in_review');

    const answer = await post(officer, `/${application.id}/reject`, { reason: 'documents_invalid', note: 'Scan does not match the passport' }).expect(200);
    expect(answer.body).toEqual(expect.objectContaining({ status: 'rejected', decisionReasonCode: 'documents_invalid', decidedBy: officer.id }));
    expect(answer.body.applicants.map((p: { decision: string }) => p.decision)).toEqual(['refused', 'refused']);
    const mail = await t.mailbox.waitFor(application.email, (m) => m.subject.includes(application.reference));
    expect(mail.subject).toMatch(/отказано/);
    expect(mail.text).toContain('Представленные документы не соответствуют требованиям или недействительны.');
    expect(mail.text).not.toContain('documents_invalid');
    expect(mail.text).not.toContain('Scan does not match');
    expect((await auditOf(application.id)).map((a) => a.action)).toEqual(['visa_application.rejected']);
  });

  it('a flagged application: the officer’s approval is refused, a consul’s is accepted and enqueues issuance', async () => {
    const officer = await staff('officer', ['TYO']);
    const consul = await staff('consul', ['TYO']);
    const [application] = await seedVisaApplications(t, 1, { missionCode: 'TYO', flagged: true, status: 'in_review', staffId: officer.id });
    const refused = await post(officer, `/${application.id}/approve`);
    expectProblem(refused, 403);
    expect(refused.body.code).toBe('consul_approval_required');
    expect((await statusOf(application.id)).status).toBe('in_review');

    const approved = await post(consul, `/${application.id}/approve`).expect(200);
    expect(approved.body).toEqual(expect.objectContaining({ status: 'approved', decidedBy: consul.id, assignedTo: null }));
    expect(approved.body.applicants[0].decision).toBe('approved');
    const jobs = (await t.db.query(`SELECT data FROM pgboss.job WHERE name = 'visas.issue' AND data->>'applicationId' = $1`, [application.id])) as unknown[];
    expect(jobs).toHaveLength(1);
    const mail = await t.mailbox.waitFor(application.email, (m) => m.subject.includes(application.reference));
    expect(mail.subject).toMatch(/approved/);
    // The issuance job may already have run and audited `visa_application.issued` (by the system): not what this test is about.
    const decisions = (await auditOf(application.id)).filter((a) => a.action !== 'visa_application.issued');
    expect(decisions.map((a) => [a.action, a.actor_id])).toEqual([['visa_application.approved', consul.id]]);
  });

  it('approves a group while refusing one of its people, who is named with the reason', async () => {
    const officer = await staff('officer', ['FRA']);
    const [application] = await seedVisaApplications(t, 1, { missionCode: 'FRA', status: 'in_review', staffId: officer.id, people: 3 });
    const [lead, second, third] = application.applicantIds;
    const stranger = '00000000-0000-4000-8000-000000000000';
    const bad = await post(officer, `/${application.id}/approve`, { refuse: [{ applicantId: stranger, reason: 'documents_invalid' }, { applicantId: second, reason: 'nope' }] });
    expectProblem(bad, 422);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['refuse.0.applicantId', 'refuse.1.reason']);
    const everyone = await post(officer, `/${application.id}/approve`, {
      refuse: [lead, second, third].map((applicantId) => ({ applicantId, reason: 'documents_invalid' })),
    });
    expectProblem(everyone, 422);
    expectProblem(await post(officer, `/${application.id}/approve`, { refuse: [{ applicantId: 'x', reason: 'documents_invalid' }] }), 400);
    expect((await statusOf(application.id)).status).toBe('in_review');

    const answer = await post(officer, `/${application.id}/approve`, { refuse: [{ applicantId: second, reason: 'documents_invalid' }] }).expect(200);
    const decisions = Object.fromEntries(answer.body.applicants.map((p: { id: string; decision: string; refusalReasonCode: string | null }) => [p.id, [p.decision, p.refusalReasonCode]]));
    expect(decisions).toEqual({ [lead]: ['approved', null], [second]: ['refused', 'documents_invalid'], [third]: ['approved', null] });
    const mail = await t.mailbox.waitFor(application.email, (m) => m.subject.includes(application.reference));
    const refusedName = `${answer.body.applicants[1].givenNames} ${answer.body.applicants[1].surname}`;
    expect(mail.text).toContain(`${refusedName}: The documents provided do not meet the requirements or are not valid.`);
    expect(mail.text).toContain(`${answer.body.applicants[0].givenNames} ${answer.body.applicants[0].surname}`);
  });

  it('revoke is a consul’s: an officer gets 403, a consul revokes the issued e-visas and the holder is told', async () => {
    const officer = await staff('officer', ['BER']);
    const consul = await staff('consul', ['BER']);
    const [application] = await seedVisaApplications(t, 1, { missionCode: 'BER', status: 'in_review', staffId: officer.id, locale: 'en', people: 2 });
    await post(officer, `/${application.id}/approve`).expect(200);
    // the issuance job (visa-issue's) issues one e-visa per approved person and moves the application to issued
    const deadline = Date.now() + 30_000;
    while ((await statusOf(application.id)).status !== 'issued' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect((await statusOf(application.id)).status).toBe('issued');
    const forbidden = await post(officer, `/${application.id}/revoke`, { reason: 'Entry ban issued after the visa.' });
    expectProblem(forbidden, 403);
    expect(forbidden.body.code).toBe('role_not_allowed');
    expect((await statusOf(application.id)).status).toBe('issued');

    const revoked = await post(consul, `/${application.id}/revoke`, { reason: 'Entry ban issued after the visa.' }).expect(200);
    expect(revoked.body.status).toBe('revoked');
    const evisas = (await t.db.query(`SELECT status, revocation_reason FROM evisas WHERE application_id = $1`, [application.id])) as { status: string; revocation_reason: string }[];
    expect(evisas).toHaveLength(2);
    expect(evisas.every((e) => e.status === 'revoked' && e.revocation_reason === 'Entry ban issued after the visa.')).toBe(true);
    const mail = await t.mailbox.waitFor(application.email, (m) => m.subject.includes('revoked'));
    expect(mail.subject).toContain(application.reference);
    expect(mail.text).toContain('Entry ban issued after the visa.');
    expect((await historyOf(application.id)).at(-1)).toEqual(expect.objectContaining({ from_status: 'issued', to_status: 'revoked', actor_id: consul.id }));
    const audit = (await auditOf(application.id)).map((a) => a.action);
    expect(audit).toEqual(expect.arrayContaining(['visa_application.approved', 'visa_application.revoked']));
    // revoking again is a 409: the application is no longer issued
    expectProblem(await post(consul, `/${application.id}/revoke`), 409);
  });

  it('a claim left untouched past VISA_CLAIM_TIMEOUT_MINUTES returns to the queue through the job', async () => {
    const officer = await staff('officer', ['KZN']);
    const [stale] = await seedVisaApplications(t, 1, { missionCode: 'KZN', status: 'in_review', staffId: officer.id, claimedMinutesAgo: 31 });
    const [fresh] = await seedVisaApplications(t, 1, { missionCode: 'KZN', status: 'in_review', staffId: officer.id, claimedMinutesAgo: 29 });
    const released = await t.app.get(VisaClaimReleaseService).releaseStaleClaims(new Date());
    expect(released.map((r) => r.id)).toContain(stale.id);
    expect(released.map((r) => r.id)).not.toContain(fresh.id);
    expect(await statusOf(stale.id)).toEqual({ status: 'submitted', assigned_to: null, claimed_at: null });
    expect((await statusOf(fresh.id)).status).toBe('in_review');
    expect((await historyOf(stale.id)).at(-1)).toEqual(expect.objectContaining({ from_status: 'in_review', to_status: 'submitted', action: 'release', actor_id: null }));
    expect(await auditOf(stale.id)).toEqual([{ action: 'visa_application.released', actor_id: null, mission_code: 'KZN' }]);
    // a second run finds nothing more to release there
    expect((await t.app.get(VisaClaimReleaseService).releaseStaleClaims(new Date())).map((r) => r.id)).not.toContain(stale.id);
    // and it is in the queue again for anyone of the mission
    const other = await staff('officer', ['KZN']);
    expect((await post(other, '/claim-next').expect(200)).body.id).toBe(stale.id);
  });

  it('e-mails each consul one daily digest of the applications due by the end of the next working day', async () => {
    const consul = await staff('consul', ['MOW', 'LED']);
    const officer = await staff('officer', ['MOW']);
    const soon = await seedVisaApplications(t, 1, { missionCode: 'MOW', dueAt: new Date(Date.now() + 3_600_000) });
    const late = await seedVisaApplications(t, 1, { missionCode: 'LED', dueAt: new Date(Date.now() - 3_600_000), status: 'in_review', staffId: officer.id });
    const farAway = await seedVisaApplications(t, 1, { missionCode: 'MOW', dueAt: new Date(Date.now() + 10 * 86_400_000) });
    const decided = await seedVisaApplications(t, 1, { missionCode: 'MOW', dueAt: new Date(Date.now() + 3_600_000), status: 'approved', staffId: officer.id });
    const digests = t.app.get(VisaDigestService);
    const first = await digests.sendDigests(new Date());
    expect(first.consuls).toBeGreaterThanOrEqual(1);
    const mail = await t.mailbox.waitFor(consul.email, (m) => m.subject.includes('E-visa deadlines'));
    expect(mail.text).toContain(soon[0].reference);
    expect(mail.text).toContain(late[0].reference);
    expect(mail.text).toMatch(new RegExp(`${late[0].reference} \\(LED, [^)]+\\): due [^\\n]+OVERDUE`));
    expect(mail.text).not.toContain(farAway[0].reference);
    expect(mail.text).not.toContain(decided[0].reference);
    // the officer gets no digest, and a second run of the day sends the consul nothing more
    await digests.sendDigests(new Date());
    const sent = (await t.db.query(`SELECT count(*)::int AS n FROM email_messages WHERE recipient = $1 AND template = 'visa-digest'`, [consul.email])) as { n: number }[];
    expect(sent[0].n).toBe(1);
    const toOfficer = (await t.db.query(`SELECT count(*)::int AS n FROM email_messages WHERE recipient = $1`, [officer.email])) as { n: number }[];
    expect(toOfficer[0].n).toBe(0);
  });
});
