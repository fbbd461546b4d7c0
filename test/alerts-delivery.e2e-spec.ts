import { simpleParser } from 'mailparser';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { UnitOfWork } from '../src/common/database/unit-of-work';
import { FieldCipher } from '../src/common/crypto/field-cipher';
import { AlertDeliveriesRepository, uuidRanges } from '../src/alerts/alert-deliveries.repository';
import { AlertsRepository } from '../src/alerts/alerts.repository';
import { AlertFollowUpService } from '../src/alerts/alert-follow-up.service';
import { AlertMaterialisationService } from '../src/alerts/alert-materialisation.service';
import { seedActiveRegistrations } from '../src/alerts/testing/alert-delivery-fixtures';
import { SmtpSink } from '../src/alerts/testing/smtp-sink';
import { Account, createAccount, startTestApp, TestApp } from './support/test-app';

/**
 * Alert delivery end to end on a real SMTP server: the fan-out, the e-mails in each person's language with their
 * one-click links, retries and failures, the alert becoming `sent`, and follow-up rounds to those who did not answer.
 */
describe('Alert delivery', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let author: Account;
  let approver: Account;
  const tag = randomBytes(3).toString('hex');
  const busy = `busy-${tag}-1@example.test`;
  const gone = `gone-${tag}-1@example.test`;

  beforeAll(async () => {
    sink = await SmtpSink.start({ keepRaw: true, refuse: new Map([[busy, 451], [gone, 550]]) });
    t = await startTestApp({
      SMTP_URL: sink.url({ maxConnections: 4 }),
      ALERT_DELIVERY_ATTEMPTS: '3',
      ALERT_RETRY_DELAY_SECONDS: '1',
    });
    const missions = ['MOW', 'PAR', 'KZN', 'LED'];
    author = await createAccount(t, { role: 'consul', missions });
    approver = await createAccount(t, { role: 'consul', missions });
    // Approval signs the mission's emergency phone into the alert; the seeded missions have none.
    await t.db.query(`UPDATE missions SET contacts = contacts || '{"emergencyPhone": "+74951234567"}' WHERE code = ANY($1)`, [missions]);
  });
  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  /** An alert written by one consul and approved by another, through the staff routes: approval enqueues the fan-out. */
  async function broadcast(values: {
    mission?: string;
    country: string;
    content: Record<string, { title: string; body: string; instructions?: string }>;
    followUp?: { everyMinutes: number; maxRounds: number };
    area?: Record<string, unknown>;
    supersedes?: string;
  }): Promise<string> {
    const created = await t.http()
      .post('/api/v1/staff/alerts')
      .set(author.auth)
      .send({
        missionCode: values.mission ?? 'MOW',
        kind: values.supersedes ? 'update' : 'evacuation',
        severity: 'extreme',
        area: values.area ?? { countries: [values.country] },
        content: values.content,
        followUp: values.followUp,
        supersedes: values.supersedes,
      })
      .expect(201);
    await t.http().post(`/api/v1/staff/alerts/${created.body.id}/submit`).set(author.auth).expect(200);
    await t.http().post(`/api/v1/staff/alerts/${created.body.id}/approve`).set(approver.auth).expect(200);
    return created.body.id;
  }

  async function settled(alertId: string, round = 0): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [row] = await t.db.query(
        `SELECT a.status, a.materialised_at IS NOT NULL AS materialised, a.rounds_sent >= $2 AS started,
                (SELECT count(*)::int FROM alert_deliveries d WHERE d.alert_id = a.id AND d.round = $2 AND d.status IN ('pending', 'sending')) AS open,
                NOT EXISTS (SELECT 1 FROM alert_rounds o WHERE o.alert_id = a.id AND o.round = $2 AND NOT o.done) AS made
         FROM alerts a WHERE a.id = $1`,
        [alertId, round],
      );
      if (row.materialised && row.started && row.made && row.open === 0 && row.status === 'sent') return;
      if (Date.now() > deadline) throw new Error(`Alert ${alertId} not settled: ${JSON.stringify(row)} ${JSON.stringify(await t.db.query(`SELECT name, state, output FROM pgboss.job WHERE name LIKE 'alerts%'`))}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  const deliveries = (alertId: string, round = 0) =>
    t.db.query(
      `SELECT d.id, d.status, d.attempts, d.error, d.token_hash, d.round, u.email, r.language
       FROM alert_deliveries d JOIN alert_recipients r ON r.id = d.recipient_id JOIN users u ON u.id = r.user_id
       WHERE d.alert_id = $1 AND d.round = $2 ORDER BY u.email`,
      [alertId, round],
    ) as Promise<{ id: string; status: string; attempts: number; error: string | null; token_hash: Buffer; email: string; language: string }[]>;

  it('reaches every registrant of the area once, in their language, with both one-click links and the public page', async () => {
    const prefix = `lang-${tag}-`;
    await seedActiveRegistrations(t.db, t.app.get(FieldCipher), { missionCode: 'MOW', country: 'RU', count: 8, emailPrefix: prefix, locales: ['ru', 'en', 'uz', 'de'] });
    // Someone in another country of no concern to this alert.
    await seedActiveRegistrations(t.db, t.app.get(FieldCipher), { missionCode: 'WAS', country: 'US', count: 2, emailPrefix: `elsewhere-${tag}-` });
    const alertId = await broadcast({
      country: 'RU',
      content: {
        uz: { title: 'Zudlik bilan evakuatsiya', body: 'Shahar markazini tark eting.', instructions: 'Aeroportga boring.' },
        ru: { title: 'Срочная эвакуация', body: 'Покиньте центр города <немедленно>.', instructions: 'Следуйте в аэропорт.' },
      },
    });
    await settled(alertId);

    const rows = await deliveries(alertId);
    const ours = rows.filter((r) => r.email.startsWith(prefix));
    expect(ours).toHaveLength(8);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    expect(rows.some((r) => r.email.startsWith('elsewhere'))).toBe(false);
    // Their own language when the alert has it, else the alert's first.
    expect(Object.fromEntries(ours.slice(0, 4).map((r) => [r.email, r.language]))).toEqual({
      [`${prefix}1@example.test`]: 'ru',
      [`${prefix}2@example.test`]: 'uz',
      [`${prefix}3@example.test`]: 'uz',
      [`${prefix}4@example.test`]: 'uz',
    });
    const [alert] = await t.db.query(`SELECT targeted, status FROM alerts WHERE id = $1`, [alertId]);
    expect(alert.targeted).toBe(rows.length);

    const ru = rows.find((r) => r.email === `${prefix}1@example.test`)!;
    const [message] = sink.received.filter((m) => m.to.includes(ru.email));
    expect(sink.received.filter((m) => m.to.includes(ru.email))).toHaveLength(1);
    // The delivery id is the Message-ID.
    expect(message.messageId).toBe(`<${ru.id}@consular.test>`);
    const mail = await simpleParser(message.raw!);
    expect(mail.subject).toContain('Срочная эвакуация');
    const safe = /https:\/\/consular\.test\/respond\/([A-Za-z0-9_-]{43})\?answer=safe/.exec(mail.text!);
    expect(safe).not.toBeNull();
    expect(mail.text).toContain(`https://consular.test/respond/${safe![1]}?answer=need_help`);
    // Only the token's SHA-256 is stored, beside this delivery.
    expect(createHash('sha256').update(safe![1]).digest().equals(ru.token_hash)).toBe(true);
    expect(mail.text).toContain(`проверьте это оповещение на странице https://consular.test/alerts/${alertId}`);
    expect(mail.text).toContain('Портал никогда не запрашивает пароли или оплату');
    expect(mail.text).toContain('+74951234567');
    expect(mail.text).toContain('Следуйте в аэропорт.');
    expect(mail.html).toContain(`href="https://consular.test/respond/${safe![1]}?answer=safe"`);
    expect(mail.html).toContain('&lt;немедленно&gt;');

    const fallback = await simpleParser(sink.received.find((m) => m.to.includes(`${prefix}2@example.test`))!.raw!);
    expect(fallback.subject).toContain('Zudlik bilan evakuatsiya');
    expect(fallback.text).toContain(`ushbu ogohlantirishni https://consular.test/alerts/${alertId} sahifasida tekshiring`);
    // Each message carries its own token.
    const tokens = new Set(rows.map((r) => r.token_hash.toString('hex')));
    expect(tokens.size).toBe(rows.length);

    // A fan-out is done once: materialising again does nothing.
    expect(await t.app.get(AlertMaterialisationService).materialise(alertId)).toBeNull();
    expect(await t.db.query(`SELECT count(*)::int AS n FROM alert_recipients WHERE alert_id = $1`, [alertId])).toEqual([{ n: rows.length }]);
    // A retried job finds each part of the fan-out made and adds nobody.
    const approved = (await t.app.get(AlertsRepository).findById(t.db.manager, alertId))!;
    for (const range of uuidRanges(4)) {
      expect(await t.app.get(UnitOfWork).run((tx) => t.app.get(AlertDeliveriesRepository).materialiseAudiencePart(tx.manager, approved, range))).toBe(0);
    }
    expect(await deliveries(alertId)).toHaveLength(rows.length);
  });

  it('makes a round’s deliveries a chunk at a time: concurrent lanes make consecutive chunks, each person once, until the round is done', async () => {
    // The fan-out tables have no foreign keys: recipients of a made-up alert are enough here.
    const alertId = randomUUID();
    const people = 23;
    await t.db.query(
      `INSERT INTO alert_recipients (alert_id, user_id, registration_id, language, response_status, responded_at)
       SELECT $1, gen_random_uuid(), gen_random_uuid(), 'en', CASE WHEN i % 3 = 0 THEN 'safe' END, CASE WHEN i % 3 = 0 THEN now() END
         FROM generate_series(1, $2::int) i`,
      [alertId, people],
    );
    const repository = t.app.get(AlertDeliveriesRepository);
    const uow = t.app.get(UnitOfWork);
    // Not opened: nothing to make.
    expect(await uow.run((tx) => repository.extendRound(tx.manager, alertId, 'email', 0, 5))).toEqual({ added: 0, done: true });
    expect(await uow.run((tx) => repository.openRound(tx.manager, alertId, 'email', 0))).toBe(true);
    expect(await uow.run((tx) => repository.openRound(tx.manager, alertId, 'email', 0))).toBe(false);

    const lane = async () => {
      let made = 0;
      for (;;) {
        const chunk = await uow.run((tx) => repository.extendRound(tx.manager, alertId, 'email', 0, 5));
        made += chunk.added;
        if (chunk.done) return made;
      }
    };
    const made = await Promise.all([lane(), lane(), lane(), lane()]);
    // The lanes' counts add up to one delivery per person: no chunk was made twice, none skipped.
    expect(made.reduce((a, b) => a + b, 0)).toBe(people);
    const [round0] = await t.db.query(
      `SELECT count(*)::int AS deliveries, count(DISTINCT recipient_id)::int AS recipients, bool_and(status = 'pending') AS pending
         FROM alert_deliveries WHERE alert_id = $1 AND round = 0`,
      [alertId],
    );
    expect(round0).toEqual({ deliveries: people, recipients: people, pending: true });
    const [{ done }] = await t.db.query(`SELECT done FROM alert_rounds WHERE alert_id = $1 AND round = 0`, [alertId]);
    expect(done).toBe(true);

    // A later round goes to those without an answer only, though the cursor passes everyone.
    // Round 0 is made: a lane finds nothing more to make.
    expect(await lane()).toBe(0);
    await uow.run((tx) => repository.openRound(tx.manager, alertId, 'email', 1));
    let later = 0;
    for (;;) {
      const chunk = await uow.run((tx) => repository.extendRound(tx.manager, alertId, 'email', 1, 4));
      later += chunk.added;
      if (chunk.done) break;
    }
    expect(later).toBe(people - Math.floor(people / 3));
  });

  it('retries a temporary refusal with backoff, then fails it with the reason; a permanent refusal fails at once; the alert is sent', async () => {
    const cipher = t.app.get(FieldCipher);
    await seedActiveRegistrations(t.db, cipher, { missionCode: 'PAR', country: 'BE', count: 3, emailPrefix: `retry-${tag}-` });
    await seedActiveRegistrations(t.db, cipher, { missionCode: 'PAR', country: 'BE', count: 1, emailPrefix: `busy-${tag}-` });
    await seedActiveRegistrations(t.db, cipher, { missionCode: 'PAR', country: 'BE', count: 1, emailPrefix: `gone-${tag}-` });
    const alertId = await broadcast({ mission: 'PAR', country: 'BE', content: { en: { title: 'Shelter now', body: 'Stay inside.' } } });
    await settled(alertId);

    const rows = await deliveries(alertId);
    expect(rows).toHaveLength(5);
    const busyRow = rows.find((r) => r.email === busy)!;
    expect(busyRow).toMatchObject({ status: 'failed', attempts: 3 });
    expect(busyRow.error).toMatch(/451|try again later/i);
    expect(busyRow.error).toContain('gave up after 3 attempts');
    const goneRow = rows.find((r) => r.email === gone)!;
    expect(goneRow).toMatchObject({ status: 'failed', attempts: 1 });
    expect(goneRow.error).toMatch(/550|No such mailbox/);
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(3);
    expect(sink.received.some((m) => m.to.includes(busy) || m.to.includes(gone))).toBe(false);
    const [alert] = await t.db.query(`SELECT status, targeted, sent_at FROM alerts WHERE id = $1`, [alertId]);
    expect(alert).toMatchObject({ status: 'sent', targeted: 5 });
    const history = await t.db.query(`SELECT from_status, to_status, actor_id FROM alert_history WHERE alert_id = $1 ORDER BY id`, [alertId]);
    // The system's step, once.
    expect(history.filter((h: { to_status: string }) => h.to_status === 'sent')).toEqual([{ from_status: 'broadcasting', to_status: 'sent', actor_id: null }]);
  });

  it('sends follow-up rounds to exactly those who have not answered, on request and when due, each audited once', async () => {
    const prefix = `roll-${tag}-`;
    await seedActiveRegistrations(t.db, t.app.get(FieldCipher), { missionCode: 'KZN', country: 'RU', count: 6, emailPrefix: prefix, locales: ['en'] });
    // KZN serves RU as MOW does: a KZN alert reaches KZN's register only.
    const alertId = await broadcast({ mission: 'KZN', country: 'RU', content: { en: { title: 'Roll call', body: 'Tell us you are safe.' } }, followUp: { everyMinutes: 15, maxRounds: 2 } });
    await settled(alertId);
    const round0 = await deliveries(alertId);
    expect(round0.length).toBeGreaterThanOrEqual(6);
    // The first follow-up round is due a schedule period after the fan-out.
    const [scheduled] = await t.db.query(`SELECT next_round_at > now() + interval '14 minutes' AS later FROM alerts WHERE id = $1`, [alertId]);
    expect(scheduled.later).toBe(true);

    const answered = [`${prefix}1@example.test`, `${prefix}2@example.test`];
    await t.db.query(
      `UPDATE alert_recipients r SET response_status = CASE WHEN u.email = $2 THEN 'safe' ELSE 'need_help' END, responded_at = now()
       FROM users u WHERE u.id = r.user_id AND r.alert_id = $1 AND u.email = ANY($3)`,
      [alertId, answered[0], answered],
    );
    const silent = round0.map((r) => r.email).filter((email) => !answered.includes(email));

    // Staff's "remind now".
    await t.http().post(`/api/v1/staff/alerts/${alertId}/remind`).set(author.auth).expect(202);
    await settled(alertId, 1);
    const round1 = await deliveries(alertId, 1);
    expect(round1.map((r) => r.email)).toEqual(silent);
    expect(round1.every((r) => r.status === 'sent')).toBe(true);
    const reminders = sink.received.filter((m) => round1.some((r) => m.messageId === `<${r.id}@consular.test>`));
    expect(reminders).toHaveLength(silent.length);
    expect((await simpleParser(reminders[0].raw!)).subject).toMatch(/^Reminder: /);
    for (const email of answered) expect(sink.received.filter((m) => m.to.includes(email))).toHaveLength(1);

    // One more answer, then the schedule's round falls due.
    await t.db.query(
      `UPDATE alert_recipients r SET response_status = 'safe', responded_at = now() FROM users u WHERE u.id = r.user_id AND r.alert_id = $1 AND u.email = $2`,
      [alertId, silent[0]],
    );
    await t.db.query(`UPDATE alerts SET next_round_at = now() - interval '1 second' WHERE id = $1`, [alertId]);
    const followUps = t.app.get(AlertFollowUpService);
    await followUps.sweep();
    await followUps.sweep();
    await settled(alertId, 2);
    expect((await deliveries(alertId, 2)).map((r) => r.email)).toEqual(silent.slice(1));
    expect(await deliveries(alertId, 3)).toEqual([]);
    const [after] = await t.db.query(`SELECT rounds_sent, next_round_at FROM alerts WHERE id = $1`, [alertId]);
    // Two rounds were asked for: after the second, none is scheduled.
    expect(after).toEqual({ rounds_sent: 2, next_round_at: null });

    const audits = await t.auditQuery(
      `SELECT action, details FROM audit_events WHERE entity_id = $1 AND action = 'alert.follow_up_sent' ORDER BY (details->>'round')::int`,
      [alertId],
    );
    expect(audits.map((a: { details: { round: number; recipients: number; trigger: string } }) => a.details)).toEqual([
      { round: 1, recipients: silent.length, trigger: 'staff' },
      { round: 2, recipients: silent.length - 1, trigger: 'schedule' },
    ]);
  });

  it('reaches everyone a superseded alert reached, plus its own area', async () => {
    const cipher = t.app.get(FieldCipher);
    const prefix = `first-${tag}-`;
    await seedActiveRegistrations(t.db, cipher, { missionCode: 'LED', country: 'RU', count: 3, emailPrefix: prefix });
    const first = await broadcast({ mission: 'LED', country: 'RU', content: { en: { title: 'Stay home', body: 'Curfew tonight.' } } });
    await settled(first);
    // Afterwards someone registers in St Petersburg, and one of the first three leaves.
    await seedActiveRegistrations(t.db, cipher, { missionCode: 'LED', country: 'RU', count: 1, emailPrefix: `later-${tag}-` });
    await t.db.query(`UPDATE registrations SET region = 'RU-SPE' WHERE owner_id = (SELECT id FROM users WHERE email = $1)`, [`later-${tag}-1@example.test`]);
    await t.db.query(
      `UPDATE registrations SET status = 'ended', ended_at = now(), ended_reason = 'left' WHERE owner_id = (SELECT id FROM users WHERE email = $1)`,
      [`${prefix}3@example.test`],
    );

    const update = await broadcast({
      mission: 'LED',
      country: 'RU',
      area: { regions: ['RU-SPE'] },
      supersedes: first,
      content: { en: { title: 'Curfew lifted', body: 'You may go out again.' } },
    });
    await settled(update);
    const reached = (await deliveries(update)).map((r) => r.email);
    expect(reached).toEqual([`${prefix}1@example.test`, `${prefix}2@example.test`, `${prefix}3@example.test`, `later-${tag}-1@example.test`].sort());
  });
});
