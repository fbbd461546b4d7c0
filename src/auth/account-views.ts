import type { AccountResponse } from './dto/auth.dto';
import type { UserWithMissions } from './users.repository';

export function accountView(user: UserWithMissions): AccountResponse {
  return {
    id: user.id,
    email: user.email,
    fullName: user.fullName,
    role: user.role,
    locale: user.locale,
    emailVerified: user.emailVerifiedAt !== null,
    missions: user.missions,
  };
}
