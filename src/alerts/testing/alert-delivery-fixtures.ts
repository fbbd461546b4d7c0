import type { FieldCipher } from '../../common/crypto/field-cipher';
import type { SqlRunner } from '../../registrations/registration-audience';
import { sealRegistration } from '../../registrations/registration-sealing';

export interface RegisteredPeople {
  /** Mission whose register they are on. */
  missionCode: string;
  /** ISO 3166-1 alpha-2 country they live in (inside the mission's jurisdiction). */
  country: string;
  count: number;
  /** Their e-mail addresses are `<prefix><n>@example.test`, n from 1. */
  emailPrefix: string;
  /** Account locales, taken in turn. */
  locales?: string[];
}

/**
 * Citizens with one active registration each, made set-based (generate_series) for the alert tests and the fan-out
 * bench: their personal data sealed as the repository seals it (one sealed value shared by all, as only the audience
 * columns matter here). Returns nothing; address people by their e-mail.
 */
export async function seedActiveRegistrations(runner: SqlRunner, cipher: FieldCipher, people: RegisteredPeople): Promise<void> {
  const sealed = sealRegistration(cipher, { addressLine1: 'Fixture street 1', phone: '+998901234567', dateOfBirth: '1990-01-01' });
  const passport = 'FA1234567';
  await runner.query(
    `WITH accounts AS (
       INSERT INTO users (email, full_name, role, locale, email_verified_at)
       SELECT $1 || i || '@example.test', 'Citizen ' || i, 'citizen', ($2::text[])[1 + (i - 1) % cardinality($2::text[])], now()
       FROM generate_series(1, $3::int) i
       RETURNING id, full_name)
     INSERT INTO registrations (
       owner_id, mission_code, kind, status, full_name, address_line1, address_city, country, phone, arrival_date,
       purpose, passport_number_enc, passport_number_hash, passport_number_masked, date_of_birth, verified_at)
     SELECT id, $4, 'permanent', 'active', full_name, $6, 'Fixture city', $5, $7, current_date - 100,
            'work', $8, $9, 'FA*****67', $10, now()
     FROM accounts`,
    [
      people.emailPrefix,
      people.locales ?? ['en'],
      people.count,
      people.missionCode,
      people.country,
      sealed.addressLine1,
      sealed.phone,
      cipher.encrypt(passport),
      cipher.lookupHash(passport),
      sealed.dateOfBirth,
    ],
  );
}
