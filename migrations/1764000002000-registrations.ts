import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Consular registrations, their status history, and the partial indexes behind the staff queue, the expiry job
 * and the alerts audience query (one index per part of an area, all WHERE status = 'active').
 */
export class Registrations1764000002000 implements MigrationInterface {
  name = 'Registrations1764000002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE registrations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id uuid NOT NULL REFERENCES users (id),
        mission_code text NOT NULL REFERENCES missions (code),
        kind text NOT NULL CHECK (kind IN ('permanent', 'temporary')),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'rejected', 'ended')),
        full_name text NOT NULL CHECK (btrim(full_name) <> ''),
        address_line1 text NOT NULL,
        address_city text NOT NULL,
        address_postal_code text,
        country char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
        region text CHECK (region ~ '^[A-Z]{2}-[A-Z0-9]{1,3}$' AND left(region, 2) = country),
        lat double precision CHECK (lat BETWEEN -90 AND 90),
        lon double precision CHECK (lon BETWEEN -180 AND 180),
        phone text NOT NULL CHECK (phone ~ '^\\+[1-9][0-9]{6,14}$'),
        arrival_date date NOT NULL,
        departure_date date,
        purpose text NOT NULL,
        passport_number_enc text NOT NULL CHECK (passport_number_enc ~ '^v[0-9]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$'),
        passport_number_hash char(64) NOT NULL CHECK (passport_number_hash ~ '^[0-9a-f]{64}$'),
        passport_number_masked text NOT NULL,
        date_of_birth date NOT NULL,
        personal_id_enc text CHECK (personal_id_enc ~ '^v[0-9]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$'),
        personal_id_hash char(64) CHECK (personal_id_hash ~ '^[0-9a-f]{64}$'),
        family_members jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(family_members) = 'array'),
        family_count smallint GENERATED ALWAYS AS (jsonb_array_length(family_members)) STORED,
        emergency_contact jsonb CHECK (jsonb_typeof(emergency_contact) = 'object'),
        rejection_reason text,
        ended_reason text,
        verified_by uuid REFERENCES users (id),
        verified_at timestamptz,
        ended_at timestamptz,
        reminder_sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1,
        CONSTRAINT registrations_location_pair CHECK ((lat IS NULL) = (lon IS NULL)),
        CONSTRAINT registrations_departure_after_arrival CHECK (departure_date >= arrival_date),
        CONSTRAINT registrations_temporary_has_departure CHECK (kind <> 'temporary' OR departure_date IS NOT NULL),
        CONSTRAINT registrations_personal_id_pair CHECK ((personal_id_enc IS NULL) = (personal_id_hash IS NULL)),
        CONSTRAINT registrations_active_is_verified CHECK (status <> 'active' OR verified_at IS NOT NULL),
        CONSTRAINT registrations_rejected_has_reason CHECK (status <> 'rejected' OR rejection_reason IS NOT NULL),
        CONSTRAINT registrations_ended_has_time CHECK (status <> 'ended' OR ended_at IS NOT NULL)
      )`);

    // One open registration per person per mission: the second one is a unique violation (409).
    await q.query(`
      CREATE UNIQUE INDEX registrations_one_open_per_mission ON registrations (owner_id, mission_code)
      WHERE status IN ('pending', 'active')`);
    await q.query(`CREATE INDEX registrations_owner_idx ON registrations (owner_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX registrations_queue_idx ON registrations (mission_code, status, created_at, id)`);
    await q.query(`CREATE INDEX registrations_passport_hash_idx ON registrations (passport_number_hash)`);
    await q.query(`
      CREATE INDEX registrations_expiry_idx ON registrations (departure_date)
      WHERE status = 'active' AND departure_date IS NOT NULL`);

    // Alerts audience: one index per part of an area (countries, regions, circle). They include family_count so
    // that counting people is an index-only scan per part; the location index also includes country and region
    // so the circle part can leave out people already counted by the other two (registration-audience.ts).
    await q.query(`
      CREATE INDEX registrations_audience_country_idx ON registrations (mission_code, country)
      INCLUDE (family_count) WHERE status = 'active'`);
    await q.query(`
      CREATE INDEX registrations_audience_region_idx ON registrations (mission_code, region)
      INCLUDE (family_count) WHERE status = 'active' AND region IS NOT NULL`);
    await q.query(`
      CREATE INDEX registrations_audience_location_idx ON registrations (mission_code, lat, lon)
      INCLUDE (country, region, family_count) WHERE status = 'active' AND lat IS NOT NULL`);

    await q.query(`
      CREATE TABLE registration_history (
        id bigserial PRIMARY KEY,
        registration_id uuid NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
        from_status text CHECK (from_status IN ('pending', 'active', 'rejected', 'ended')),
        to_status text NOT NULL CHECK (to_status IN ('pending', 'active', 'rejected', 'ended')),
        actor_id uuid REFERENCES users (id),
        reason text,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX registration_history_registration_idx ON registration_history (registration_id, at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE registration_history`);
    await q.query(`DROP TABLE registrations`);
  }
}
