import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Personal data no query filters on is stored sealed with FieldCipher: a registration's street, postal code, phone,
 * date of birth, family members and emergency contact, and the holder's name on issued documents. This changes the
 * column types the tokens need; the values are sealed by a start-up step (RegistrationsRepository,
 * IssuedDocumentsRepository), because migrations run without the app's configuration and cannot reach the data key.
 */
export class PersonalDataAtRest1795604026671 implements MigrationInterface {
  name = 'PersonalDataAtRest1795604026671';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE registrations DROP CONSTRAINT registrations_phone_check`);
    await q.query(`ALTER TABLE registrations DROP CONSTRAINT registrations_emergency_contact_check`);
    await q.query(`ALTER TABLE registrations ALTER COLUMN date_of_birth TYPE text USING date_of_birth::text`);
    await q.query(`ALTER TABLE registrations ALTER COLUMN emergency_contact TYPE text USING emergency_contact::text`);
    // Family members stay a JSON array (one token per member), so family_count, which the audience indexes hold, still counts them.
  }

  /** Restores the column types; sealed values must have been opened first, which needs the key this cannot reach. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE registrations ALTER COLUMN emergency_contact TYPE jsonb USING emergency_contact::jsonb`);
    await q.query(`ALTER TABLE registrations ALTER COLUMN date_of_birth TYPE date USING date_of_birth::date`);
    await q.query(`ALTER TABLE registrations ADD CONSTRAINT registrations_emergency_contact_check CHECK (jsonb_typeof(emergency_contact) = 'object')`);
    await q.query(`ALTER TABLE registrations ADD CONSTRAINT registrations_phone_check CHECK (phone ~ '^\\+[1-9][0-9]{6,14}$')`);
  }
}
