import { Account, TestApp } from './test-app';

/** A valid registration with the Berlin embassy, in the account holder's name. */
export const BERLIN_REGISTRATION = {
  missionCode: 'BER',
  kind: 'permanent',
  address: { line1: 'Karl-Marx-Allee 12', city: 'Berlin', region: 'DE-BE', country: 'DE', postalCode: '10243' },
  location: { lat: 52.5172, lon: 13.4305 },
  phone: '+49 30 1234567',
  arrivalDate: '2024-09-01',
  purpose: 'Employment at a logistics company',
  passportNumber: 'FA1234567',
  dateOfBirth: '1990-04-12',
};

/**
 * Registers the account with a mission through the API and marks the registration verified, as an officer would:
 * what a registration certificate request needs. Returns the registration's id.
 */
export async function activeRegistration(t: TestApp, account: Account, overrides: Record<string, unknown> = {}): Promise<string> {
  const { body } = await t.http().post('/api/v1/registrations').set(account.auth).send({ ...BERLIN_REGISTRATION, ...overrides }).expect(201);
  await t.db.query(`UPDATE registrations SET status = 'active', verified_at = now() WHERE id = $1`, [body.id]);
  return body.id as string;
}
