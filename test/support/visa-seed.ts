import { randomBytes } from 'node:crypto';
import { FieldCipher } from '../../src/common/crypto/field-cipher';
import type { VisaApplicationStatus } from '../../src/visas/visa-application.entity';
import { TestApp, uniqueEmail } from './test-app';

export interface SeedVisaOptions {
  /** Processing mission (default TAS, the central unit). */
  missionCode?: string;
  status?: VisaApplicationStatus;
  /** Deadline; by default one per application, a minute apart, starting a day from now. */
  dueAt?: Date | ((index: number) => Date);
  flagged?: boolean;
  /** The applicant's language and address for e-mails. */
  locale?: string;
  email?: string;
  /** People on each application: the lead applicant and companions (1–10). */
  people?: number;
  /** Who claimed it (in_review) or decided it (approved, issued, rejected, revoked). */
  staffId?: string;
  /** Minutes ago an in_review application was claimed (default 1). */
  claimedMinutesAgo?: number;
}

export interface SeededVisa {
  id: string;
  reference: string;
  ownerId: string;
  email: string;
  applicantIds: string[];
}

const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const SURNAMES = ['MUELLER', 'SCHMIDT', 'KOVALENKO', 'SMITH', 'TANAKA', 'DUBOIS', 'ROSSI', 'NOWAK', 'KIM', 'SILVA'];
const GIVEN_NAMES = ['ANNA', 'JONAS', 'OLGA', 'JOHN', 'YUKI', 'CLAIRE', 'MARCO', 'EWA', 'MIN-JUN', 'LUCAS'];

function reference(): string {
  const bytes = randomBytes(8);
  return `EV-${Array.from(bytes, (b) => REFERENCE_ALPHABET[b % REFERENCE_ALPHABET.length]).join('')}`;
}

/**
 * E-visa applications as if filed through the citizen flow, written straight into the database (for staff-side
 * tests that do not depend on drafts, uploads and payment): an owner account, the application in the given status
 * with its deadline, its people (personal data sealed with the app's own FieldCipher, as the repository stores it)
 * and a `submit` history row. Returns them in the order of their deadlines.
 */
export async function seedVisaApplications(t: TestApp, count: number, options: SeedVisaOptions = {}): Promise<SeededVisa[]> {
  const cipher = t.app.get(FieldCipher);
  const status = options.status ?? 'submitted';
  const missionCode = options.missionCode ?? 'TAS';
  const locale = options.locale ?? 'en';
  const people = options.people ?? 1;
  const decided = ['approved', 'issued', 'rejected', 'revoked'].includes(status);
  if ((status === 'in_review' || decided) && !options.staffId) throw new Error(`seedVisaApplications: a ${status} application needs staffId`);
  const start = Date.now() + 86_400_000;
  const seeded: SeededVisa[] = [];
  for (let i = 0; i < count; i++) {
    const email = options.email ?? uniqueEmail('applicant');
    const [owner] = (await t.db.query(
      `INSERT INTO users (email, full_name, role, locale, email_verified_at) VALUES ($1, 'Visa Applicant', 'citizen', $2, now())
       ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email RETURNING id`,
      [email, locale],
    )) as { id: string }[];
    const dueAt = typeof options.dueAt === 'function' ? options.dueAt(i) : (options.dueAt ?? new Date(start + i * 60_000));
    const [application] = (await t.db.query(
      `INSERT INTO visa_applications (
         reference, owner_id, status, visa_type, entries, arrival_date, stay_days, purpose, address_in_country, email, phone, locale,
         country_of_residence, fee_amount, fee_currency, processing_mission_code, due_at, submitted_at, flagged, flag_reasons,
         assigned_to, claimed_at, decision_reason_code, decided_at, decided_by)
       VALUES ($1, $2, $3, 'tourist', 'single', current_date + 20, 10, 'Tourism', $4, $5, $6, $7, 'DE', 2000, 'USD', $8, $9,
               now() - interval '1 hour', $10, $11, $12, $13, $14, $15, $16)
       RETURNING id, reference`,
      [
        reference(),
        owner.id,
        status,
        cipher.encrypt('Hotel Uzbekistan, room 412, Tashkent'),
        email,
        cipher.encrypt('+4915112345678'),
        locale,
        missionCode,
        dueAt,
        options.flagged ?? false,
        JSON.stringify(options.flagged ? [{ code: 'watchlist_match', position: 0, detail: 'Name and date of birth match a watch-list entry' }] : []),
        status === 'in_review' ? options.staffId : null,
        status === 'in_review' ? new Date(Date.now() - (options.claimedMinutesAgo ?? 1) * 60_000) : null,
        status === 'rejected' ? 'documents_invalid' : null,
        decided ? new Date() : null,
        decided ? options.staffId : null,
      ],
    )) as { id: string; reference: string }[];
    const applicantIds: string[] = [];
    for (let position = 0; position < people; position++) {
      const passport = `C${String(10000000 + Math.floor(Math.random() * 89999999))}`;
      const [person] = (await t.db.query(
        `INSERT INTO visa_applicants (
           application_id, position, surname, given_names, sex, date_of_birth, place_of_birth, nationality, passport_number_enc,
           passport_number_hash, passport_number_masked, passport_issue_date, passport_expiry_date, decision, refusal_reason_code)
         VALUES ($1, $2, $3, $4, $5, $6, 'BERLIN', 'DEU', $7, $8, $9, date '2022-03-01', date '2032-02-28', $10, $11)
         RETURNING id`,
        [
          application.id,
          position,
          SURNAMES[(i + position) % SURNAMES.length],
          GIVEN_NAMES[(i * 3 + position) % GIVEN_NAMES.length],
          position % 2 === 0 ? 'F' : 'M',
          cipher.encrypt(`19${80 + position}-0${1 + (i % 9)}-1${position}`),
          cipher.encrypt(passport),
          cipher.passportLookupHash(passport),
          `${passport.slice(0, 1)}*****${passport.slice(-2)}`,
          ['approved', 'issued', 'revoked'].includes(status) ? 'approved' : status === 'rejected' ? 'refused' : null,
          status === 'rejected' ? 'documents_invalid' : null,
        ],
      )) as { id: string }[];
      applicantIds.push(person.id);
    }
    await t.db.query(
      `INSERT INTO visa_application_history (application_id, from_status, to_status, action, actor_id) VALUES ($1, 'draft', 'submitted', 'submit', $2)`,
      [application.id, owner.id],
    );
    seeded.push({ id: application.id, reference: application.reference, ownerId: owner.id, email, applicantIds });
  }
  return seeded;
}
