import type { Mission } from '../missions/mission.entity';
import type {
  DuplicatePassportResponse,
  FamilyMemberResponse,
  RegistrationHistoryResponse,
  RegistrationResponse,
  ServingMissionResponse,
  StaffRegistrationResponse,
  StaffRegistrationSummary,
} from './dto/registration.response';
import type { FieldCipher } from '../common/crypto/field-cipher';
import type { Registration, RegistrationHistory } from './registration.entity';
import type { StaffSummaryRow } from './registrations.repository';

/** A registration in full, identifiers decrypted: for its owner, and for staff who opened it. */
export function registrationView(r: Registration, cipher: FieldCipher, history?: RegistrationHistory[]): RegistrationResponse {
  const familyMembers: FamilyMemberResponse[] = r.familyMembers.map((m) => ({
    fullName: m.name,
    dateOfBirth: m.dateOfBirth,
    relation: m.relation,
    passportNumber: m.passportNumberEnc ? cipher.decrypt(m.passportNumberEnc) : null,
  }));
  return {
    id: r.id,
    missionCode: r.missionCode,
    kind: r.kind,
    status: r.status,
    fullName: r.fullName,
    address: { line1: r.addressLine1, city: r.addressCity, region: r.region, country: r.country, postalCode: r.addressPostalCode },
    location: r.lat !== null && r.lon !== null ? { lat: r.lat, lon: r.lon } : null,
    phone: r.phone,
    arrivalDate: r.arrivalDate,
    departureDate: r.departureDate,
    purpose: r.purpose,
    passportNumber: cipher.decrypt(r.passportNumberEnc),
    dateOfBirth: r.dateOfBirth,
    personalNumber: r.personalIdEnc ? cipher.decrypt(r.personalIdEnc) : null,
    familyMembers,
    emergencyContact: r.emergencyContact
      ? {
          fullName: r.emergencyContact.name,
          relation: r.emergencyContact.relation ?? null,
          phone: r.emergencyContact.phone,
          email: r.emergencyContact.email ?? null,
        }
      : null,
    rejectionReason: r.rejectionReason,
    endedReason: r.endedReason,
    verifiedAt: r.verifiedAt,
    endedAt: r.endedAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    ...(history ? { history: history.map(historyView) } : {}),
  };
}

/** A queue line: nothing that identifies the person beyond name and date of birth, the passport masked. */
export function staffSummaryView(r: StaffSummaryRow): StaffRegistrationSummary {
  return {
    id: r.id,
    missionCode: r.missionCode,
    kind: r.kind,
    status: r.status,
    fullName: r.fullName,
    dateOfBirth: r.dateOfBirth,
    country: r.country,
    region: r.region,
    city: r.addressCity,
    arrivalDate: r.arrivalDate,
    departureDate: r.departureDate,
    passportNumberMasked: r.passportNumberMasked,
    familyCount: r.familyCount,
    createdAt: r.createdAt,
  };
}

export function staffRegistrationView(
  r: Registration,
  cipher: FieldCipher,
  ownerEmail: string,
  history: RegistrationHistory[],
  samePassport: DuplicatePassportResponse[],
): StaffRegistrationResponse {
  return { ...registrationView(r, cipher, history), ownerId: r.ownerId, ownerEmail, verifiedBy: r.verifiedBy, samePassport };
}

export function servingMissionView(m: Mission): ServingMissionResponse {
  return { code: m.code, name: m.name, country: m.country, city: m.city };
}

function historyView(h: RegistrationHistory): RegistrationHistoryResponse {
  return { fromStatus: h.fromStatus, toStatus: h.toStatus, reason: h.reason, at: h.at };
}
