import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { alertSignedContent, canonicalAlert } from '../../src/alerts/alert-signature';
import { FieldCipher } from '../../src/common/crypto/field-cipher';
import { generateAudienceFixtures, insertAudienceFixtures } from '../../src/registrations/testing/audience-fixtures';
import { SigningKeyService } from '../../src/signing/signing-key.service';
import type { AlertArea, AlertContent, AlertKind, AlertSeverity, AlertStatus } from '../../src/alerts/alert.entity';
import type { TestApp } from './test-app';

export interface PublishedAlertFixture {
  authorId: string;
  approverId: string;
  missionCode: string;
  kind: AlertKind;
  severity: AlertSeverity;
  area: AlertArea;
  content: AlertContent;
  languages: string[];
  status: AlertStatus;
  approvedAt: Date;
  expiresAt: Date | null;
  supersedesId: string | null;
}

export interface PublishedAlert {
  id: string;
  content: AlertContent;
  approvedAt: Date;
}

/**
 * An alert written straight into the database, approved and signed with the portal's key as approval signs it (or a
 * draft or withdrawn one, never signed), for tests of what is public that must not depend on delivery.
 */
export async function publishAlert(t: TestApp, fields: Partial<PublishedAlertFixture> & Pick<PublishedAlertFixture, 'authorId' | 'approverId'>): Promise<PublishedAlert> {
  const id = randomUUID();
  const alert = {
    missionCode: 'BER',
    kind: 'evacuation' as AlertKind,
    severity: 'extreme' as AlertSeverity,
    area: { countries: ['DE'], circle: { lat: 52.52, lon: 13.405, radiusKm: 30 } },
    content: {
      ru: { title: `Эвакуация ${id.slice(0, 8)}`, body: 'Покиньте Берлин сегодня.\nСобирайтесь на вокзале.', instructions: 'Возьмите паспорт.' },
      en: { title: `Evacuation ${id.slice(0, 8)}`, body: 'Leave Berlin today.\nGather at the main station.', instructions: 'Take your passport.' },
    },
    languages: ['ru', 'en'],
    status: 'sent' as AlertStatus,
    approvedAt: new Date(),
    expiresAt: null,
    supersedesId: null,
    ...fields,
  };
  // Timestamps are kept to the millisecond, as the timestamptz(3) columns store them.
  const approvedAt = new Date(Math.floor(alert.approvedAt.getTime()));
  const published = alert.status === 'broadcasting' || alert.status === 'sent';
  const emergencyPhone = '+49 30 555 0100';
  const payload = alertSignedContent({ id, ...alert }, approvedAt, emergencyPhone);
  const signed = published ? { canonical: canonicalAlert(payload), ...t.app.get(SigningKeyService).sign(payload) } : null;
  await t.db.query(
    `INSERT INTO alerts (id, mission_code, author_id, approved_by, kind, severity, area, content, languages, expires_at, supersedes_id,
                         status, emergency_phone, canonical, signature, kid, submitted_at, approved_at, sent_at, cancelled_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
    [
      id,
      alert.missionCode,
      alert.authorId,
      published ? alert.approverId : null,
      alert.kind,
      alert.severity,
      JSON.stringify(alert.area),
      JSON.stringify(alert.content),
      alert.languages,
      alert.expiresAt,
      alert.supersedesId,
      alert.status,
      published ? emergencyPhone : null,
      signed?.canonical ?? null,
      signed?.signature ?? null,
      signed?.kid ?? null,
      alert.status === 'draft' ? null : approvedAt,
      published ? approvedAt : null,
      alert.status === 'sent' ? approvedAt : null,
      alert.status === 'cancelled' ? approvedAt : null,
    ],
  );
  return { id, content: alert.content, approvedAt };
}

export interface AlertRecipientFixture {
  recipientId: string;
  userId: string;
  /** The one-click respond token of the recipient's e-mail (only its SHA-256 is stored, as delivery stores it). */
  token: string;
}

/**
 * A person an alert reached: a citizen with an active registration, their recipient row, and a sent e-mail delivery
 * carrying a known respond token, written as materialisation and delivery write them.
 */
export async function addRecipient(t: TestApp, alertId: string, language: string): Promise<AlertRecipientFixture> {
  const tag = randomBytes(4).toString('hex');
  const [fixture] = generateAudienceFixtures(1, Number.parseInt(tag, 16)).map((f) => ({ ...f, status: 'active' as const, locale: language }));
  const registrationId = (await insertAudienceFixtures(t.db, t.app.get(FieldCipher), [fixture], tag)).get(fixture.key) as string;
  const [{ owner_id: userId }] = await t.db.query(`SELECT owner_id FROM registrations WHERE id = $1`, [registrationId]);
  const [{ id: recipientId }] = await t.db.query(
    `INSERT INTO alert_recipients (alert_id, user_id, registration_id, language) VALUES ($1, $2, $3, $4) RETURNING id`,
    [alertId, userId, registrationId, language],
  );
  const token = randomBytes(32).toString('base64url');
  await t.db.query(
    `INSERT INTO alert_deliveries (alert_id, recipient_id, channel, round, status, attempts, attempted_at, sent_at, token_hash)
     VALUES ($1, $2, 'email', 0, 'sent', 1, now(), now(), $3)`,
    [alertId, recipientId, createHash('sha256').update(token).digest()],
  );
  return { recipientId, userId, token };
}
