import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { canonicalJson } from '../common/canonical-json';
import { AppConfig } from '../config/app-config';
import { bilingual, BilingualText, LocalizedText } from '../config/issuing-state';
import { qrClaim, sha256Hex } from '../documents/document-issuer.service';
import type { SignedDocumentPayload } from '../documents/issued-document.entity';
import type { Mission } from '../missions/mission.entity';
import { PdfRendererService } from '../signing/pdf-renderer.service';
import { SigningKeyService } from '../signing/signing-key.service';
import { Evisa } from './evisa.entity';
import { EvisasRepository } from './evisas.repository';
import { mrvB } from './mrv';
import type { VisaApplicant } from './visa-applicant.entity';
import type { VisaApplication, VisaEntries } from './visa-application.entity';
import type { VisaTypeRules } from './visa-rules';

const DAY_MS = 24 * 60 * 60 * 1000;

/** `E`, the year's last two digits, six digits: fits the nine characters of the MRZ's document number. */
export const VISA_NUMBER_PATTERN = /^E\d{8}$/;

export function formatVisaNumber(year: number, value: number): string {
  if (!Number.isInteger(value) || value < 1 || value > 999_999) throw new RangeError(`Visa number ${value} is out of range`);
  return `E${String(year % 100).padStart(2, '0')}${String(value).padStart(6, '0')}`;
}

/** Position 2 of the MRZ, at the issuing state's discretion: the visa type's letter, `<` for a type without one. */
const MRZ_TYPE_CODES: Record<string, string> = { tourist: 'T', business: 'B', transit: 'R' };
/** The first character of the MRZ's optional data: how many entries the visa allows. */
const MRZ_ENTRIES: Record<VisaEntries, string> = { single: '1', double: '2', multiple: 'M' };

export interface IssueEvisaInput {
  application: VisaApplication;
  person: VisaApplicant;
  /** The person's passport number in clear (printed; sealed everywhere else). */
  passportNumber: string;
  type: VisaTypeRules;
  mission: Mission;
  /** Name of the officer who approved the application. */
  officer: string;
  /** The person's photograph, or null when there is none to print (an empty frame is drawn). */
  photo: Buffer | null;
}

type Label = 'surname' | 'givenNames' | 'dateOfBirth' | 'sex' | 'nationality' | 'passportNumber' | 'visaType' | 'entries' | 'stay' | 'validFrom' | 'reference';

const LABELS: Record<Label, LocalizedText> = {
  surname: { uz: 'Familiyasi', ru: 'Фамилия', en: 'Surname' },
  givenNames: { uz: 'Ismi', ru: 'Имя', en: 'Given names' },
  dateOfBirth: { uz: 'Tugʻilgan sanasi', ru: 'Дата рождения', en: 'Date of birth' },
  sex: { uz: 'Jinsi', ru: 'Пол', en: 'Sex' },
  nationality: { uz: 'Fuqaroligi', ru: 'Гражданство', en: 'Nationality' },
  passportNumber: { uz: 'Pasport raqami', ru: 'Номер паспорта', en: 'Passport number' },
  visaType: { uz: 'Viza turi', ru: 'Тип визы', en: 'Type of visa' },
  entries: { uz: 'Kirishlar soni', ru: 'Количество въездов', en: 'Entries' },
  stay: { uz: 'Boʻlish muddati', ru: 'Срок пребывания', en: 'Duration of stay' },
  validFrom: { uz: 'Amal qilish boshlanishi', ru: 'Действительна с', en: 'Valid from' },
  reference: { uz: 'Ariza raqami', ru: 'Номер заявки', en: 'Application reference' },
};

const ENTRIES: Record<VisaEntries, LocalizedText> = {
  single: { uz: 'Bir martalik', ru: 'Однократная', en: 'Single' },
  double: { uz: 'Ikki martalik', ru: 'Двукратная', en: 'Double' },
  multiple: { uz: 'Koʻp martalik', ru: 'Многократная', en: 'Multiple' },
};

const DAYS: LocalizedText = { uz: '{n} kun', ru: '{n} дн.', en: '{n} days' };
const TITLE: LocalizedText = { uz: 'Elektron viza', ru: 'Электронная виза', en: 'Electronic visa' };
const FOOTER: LocalizedText = {
  uz: 'Yuqorida koʻrsatilgan pasport bilan birga taqdim etiladi.',
  ru: 'Предъявляется вместе с указанным выше паспортом.',
  en: 'To be presented with the passport named above.',
};

/**
 * Issues one person's e-visa inside the caller's transaction: the state's next visa number, the validity from the
 * visa type's rules, the MRV-B zone, the PDF (holder's data, photo, QR code, zone), and the same two Ed25519 signatures
 * as an issued document (DocumentIssuer): the QR code's over the claim, the record's over the claim and the PDF's hash.
 * The e-visa's dates are calendar dates in UTC: issue day, first day, last day.
 */
@Injectable()
export class EvisaIssuer {
  constructor(
    private readonly config: AppConfig,
    private readonly keys: SigningKeyService,
    private readonly renderer: PdfRendererService,
    private readonly evisas: EvisasRepository,
  ) {}

  async issue(manager: EntityManager, input: IssueEvisaInput): Promise<Evisa> {
    const { application, person, type } = input;
    const issuedAt = new Date();
    const validFrom = issuedAt.toISOString().slice(0, 10);
    // The issue day counts: a visa "valid 90 days from issue" is usable on 90 calendar days.
    const validUntil = new Date(Date.parse(validFrom) + (type.validityDays - 1) * DAY_MS).toISOString().slice(0, 10);
    const year = issuedAt.getUTCFullYear();
    const visaNumber = formatVisaNumber(year, await this.evisas.nextNumberValue(manager, this.config.state.alpha3, year));
    const language = this.config.state.languageFor(application.locale);
    const holderName = `${person.givenNames} ${person.surname}`.trim();
    const holderData = {
      surname: person.surname,
      givenNames: person.givenNames,
      dateOfBirth: person.dateOfBirth,
      sex: person.sex,
      nationality: person.nationality,
      passportNumber: input.passportNumber,
      visaType: application.visaType,
      entries: application.entries,
      stayDays: application.stayDays,
      validFrom,
      validUntil,
    };
    const validUntilInstant = new Date(`${validUntil}T00:00:00Z`);
    const claim = qrClaim({
      serial: visaNumber,
      type: `evisa-${application.visaType}`,
      holderHash: sha256Hex(canonicalJson(holderData)),
      issuedAt: issuedAt.toISOString(),
      validUntil: validUntilInstant.toISOString(),
    });
    const qr = this.keys.sign(claim);
    const verifyUrl = `${this.config.publicBaseUrl}/verify/${visaNumber}`;
    const zone = mrvB({
      typeCode: MRZ_TYPE_CODES[application.visaType] ?? '<',
      issuingState: this.config.state.alpha3,
      surname: person.surname,
      givenNames: person.givenNames,
      visaNumber,
      nationality: person.nationality,
      dateOfBirth: person.dateOfBirth,
      sex: person.sex,
      validUntil,
      optionalData: `${MRZ_ENTRIES[application.entries]}${String(application.stayDays).padStart(3, '0')}`,
    });
    const label = (key: Label) => bilingual(LABELS[key], language);
    const text = (value: LocalizedText): BilingualText => bilingual(value, language);
    const title = text(TITLE);
    const pdf = await this.renderer.render({
      language,
      issuer: { state: text(this.config.state.name), mission: text(input.mission.name) },
      title,
      fields: [
        { label: label('surname'), value: person.surname },
        { label: label('givenNames'), value: person.givenNames || '—' },
        { label: label('dateOfBirth'), value: person.dateOfBirth },
        { label: label('sex'), value: person.sex },
        { label: label('nationality'), value: person.nationality },
        { label: label('passportNumber'), value: input.passportNumber },
        { label: label('visaType'), value: pair(text(type.name)) },
        { label: label('entries'), value: pair(text(ENTRIES[application.entries])) },
        { label: label('stay'), value: pair(text(DAYS)).replace(/\{n\}/g, String(application.stayDays)) },
        { label: label('validFrom'), value: validFrom },
        { label: label('reference'), value: application.reference },
      ],
      serial: visaNumber,
      issuedAt,
      validUntil: validUntilInstant,
      officer: input.officer,
      qrPayload: `${verifyUrl}?s=${qr.signature}`,
      verifyUrl,
      timeZone: 'UTC',
      footerNote: text(FOOTER),
      photo: input.photo,
      machineReadableZone: zone,
    });
    const signedPayload: SignedDocumentPayload = { ...claim, pdfSha256: sha256Hex(pdf) };
    const seal = this.keys.sign(signedPayload);
    return this.evisas.insert(manager, {
      applicationId: application.id,
      applicantId: person.id,
      visaNumber,
      missionCode: input.mission.code,
      visaType: application.visaType,
      title,
      holderName,
      holderHash: claim.holderHash,
      language,
      validFrom,
      validUntil,
      issuedAt,
      pdf,
      pdfSha256: signedPayload.pdfSha256,
      kid: seal.kid,
      signedPayload,
      signature: seal.signature,
      qrSignature: qr.signature,
      status: 'valid',
      revokedAt: null,
      revokedBy: null,
      revocationReason: null,
    });
  }
}

/** The holder's language, then English when it differs. */
function pair(text: BilingualText): string {
  return text.local === text.en ? text.en : `${text.local} / ${text.en}`;
}
