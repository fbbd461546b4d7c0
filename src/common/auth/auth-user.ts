export const ROLES = ['citizen', 'officer', 'consul', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES: Role[] = ['officer', 'consul', 'admin'];

/** The signed-in caller, as the access guard resolves it from a valid access token. */
export interface AuthUser {
  id: string;
  email: string;
  role: Role;
  /** Mission codes a staff member serves; empty for citizens and admins (admins see every mission). */
  missions: string[];
  emailVerified: boolean;
  locale: string;
  /** The session (refresh-token family) the access token belongs to; logout ends it. */
  sessionId?: string;
}
