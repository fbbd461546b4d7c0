import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { FieldCipher } from '../common/crypto/field-cipher';
import type { EmergencyContact, FamilyMember, Registration } from './registration.entity';

/** The columns of a registration stored sealed, each written as one FieldCipher token. */
const SEALED_TEXT = ['addressLine1', 'addressPostalCode', 'phone', 'dateOfBirth'] as const;

/** The stored form of a registration's values (insert or update): personal data sealed, the rest as given. */
export function sealRegistration(cipher: FieldCipher, values: QueryDeepPartialEntity<Registration>): QueryDeepPartialEntity<Registration> {
  const sealed: Record<string, unknown> = { ...values };
  for (const column of SEALED_TEXT) {
    const value = values[column];
    if (typeof value === 'string') sealed[column] = cipher.encrypt(value);
  }
  if (Array.isArray(values.familyMembers)) {
    sealed.familyMembers = (values.familyMembers as FamilyMember[]).map((member) => cipher.encrypt(JSON.stringify(member)));
  }
  if (values.emergencyContact) sealed.emergencyContact = cipher.encrypt(JSON.stringify(values.emergencyContact));
  return sealed as QueryDeepPartialEntity<Registration>;
}

/**
 * A registration as read, its sealed values opened in place. Values stored before encryption (until the start-up
 * step has sealed them) read as they are.
 */
export function openRegistration(cipher: FieldCipher, r: Registration): Registration {
  for (const column of SEALED_TEXT) {
    const value = r[column];
    if (typeof value === 'string') r[column] = cipher.open(value);
  }
  if (Array.isArray(r.familyMembers)) r.familyMembers = openFamilyMembers(cipher, r.familyMembers);
  if (r.emergencyContact) r.emergencyContact = openJson<EmergencyContact>(cipher, r.emergencyContact);
  return r;
}

export function openFamilyMembers(cipher: FieldCipher, stored: unknown[]): FamilyMember[] {
  return stored.map((member) => openJson<FamilyMember>(cipher, member));
}

function openJson<T>(cipher: FieldCipher, stored: unknown): T {
  if (typeof stored !== 'string') return stored as T;
  return JSON.parse(cipher.open(stored)) as T;
}

/**
 * SQL condition (alias `r`) for a row with any personal value still in clear: what the start-up step seals. Takes
 * the parameter `sealed`: SEALED_TOKEN_PATTERN.
 */
export const UNSEALED_CONDITION = `(
  r.address_line1 !~ :sealed
  OR r.address_postal_code !~ :sealed
  OR r.phone !~ :sealed
  OR r.date_of_birth !~ :sealed
  OR r.emergency_contact !~ :sealed
  OR EXISTS (SELECT 1 FROM jsonb_array_elements(r.family_members) m WHERE jsonb_typeof(m) <> 'string'))`;
