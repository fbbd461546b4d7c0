import { Injectable } from '@nestjs/common';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { isISO31661Alpha2 } from 'class-validator';
import { countryName } from '../common/country-names';
import { AppConfig, projectPath } from '../config/app-config';
import { bilingual, BilingualText, inLanguage, LocalizedText } from '../config/issuing-state';
import { Role } from '../common/auth/auth-user';
import { FieldError } from '../common/http/domain.exception';
import { MAX_UPLOAD_BYTES } from '../common/http/uploads';

export const DOCUMENT_FIELD_TYPES = ['text', 'date', 'country', 'passportNumber', 'enum', 'email', 'phone'] as const;
export type DocumentFieldType = (typeof DOCUMENT_FIELD_TYPES)[number];
export const DOCUMENT_APPROVER_ROLES = ['officer', 'consul'] as const satisfies readonly Role[];
export type DocumentApproverRole = (typeof DOCUMENT_APPROVER_ROLES)[number];

export interface DocumentFieldDefinition {
  name: string;
  type: DocumentFieldType;
  required: boolean;
  maxLength?: number;
  /** Regular expression source the value must match (in addition to its type's own rule). */
  pattern?: string;
  /** Whether the value is printed on the document (true by default; false for contact details and the like). */
  printed?: boolean;
  /** The allowed values of an `enum` field, with what each prints as. */
  options?: Array<{ value: string; label: LocalizedText }>;
  label: LocalizedText;
}

/** What a citizen's consular registration with the mission can fill in on a request. */
export const REGISTRATION_SOURCES = ['fullName', 'dateOfBirth', 'passportNumber', 'country', 'address', 'phone'] as const;
export type RegistrationSource = (typeof REGISTRATION_SOURCES)[number];

/** The upload types an attachment may take: judged by the bytes (sanitiseUpload), images re-encoded as JPEG. */
export const ATTACHMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;

/** A file the citizen adds to a request, e.g. a police report for a stolen passport. */
export interface DocumentAttachmentDefinition {
  name: string;
  label: LocalizedText;
  required: boolean;
  types: Array<(typeof ATTACHMENT_TYPES)[number]>;
  maxBytes: number;
}

/** A kind of document a mission issues, read from templates/documents/<code>.json. */
export interface DocumentType {
  code: string;
  name: LocalizedText;
  description: LocalizedText;
  approverRoles: DocumentApproverRole[];
  /** In major units (20 USD); 0 means free. Paid at the mission unless `payBeforeQueue`. */
  fee: { amount: number; currency: string };
  /** The fee is paid online (PaymentProvider) while the request is a draft, before it enters the staff queue. */
  payBeforeQueue?: boolean;
  /** Files the request carries; a required one is uploaded while the request is a draft, before it enters the queue. */
  attachments?: DocumentAttachmentDefinition[];
  validityDays: number;
  /** Only a citizen with an active consular registration at the mission may ask for it. */
  requiresRegistration?: boolean;
  /** Fields offered pre-filled from the citizen's registration at the mission: field name → what fills it. */
  fromRegistration?: Record<string, RegistrationSource>;
  fields: DocumentFieldDefinition[];
  layout: {
    title: LocalizedText;
    /** An official sentence; `{{fieldName}}` stands for a field's printed value. */
    body?: LocalizedText;
    footer?: LocalizedText;
  };
}

/** Longest value a field without its own maxLength accepts. */
export const DEFAULT_MAX_LENGTH = 200;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
/** E.164: a plus, the country code and subscriber number, digits only. */
const PHONE_PATTERN = /^\+[1-9]\d{6,14}$/;
/** Used when the issuing state's data names no passport number format. */
const ANY_PASSPORT_NUMBER = '^[A-Z0-9]{5,20}$';
const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;

/**
 * The document types a mission can issue. They are data (one JSON file each under templates/documents/), read and
 * checked once at start: a malformed file stops start-up with a message naming it.
 */
@Injectable()
export class DocumentTypeRegistry {
  private readonly types: ReadonlyMap<string, DocumentType>;
  private readonly passportNumber: RegExp;
  private readonly patterns = new WeakMap<DocumentFieldDefinition, RegExp>();

  constructor(config: AppConfig) {
    this.types = loadDocumentTypes(projectPath('templates', 'documents'), config.state.languages);
    this.passportNumber = new RegExp(config.state.passportNumberPattern || ANY_PASSPORT_NUMBER);
  }

  list(): DocumentType[] {
    return [...this.types.values()];
  }

  get(code: string): DocumentType | undefined {
    return this.types.get(code);
  }

  /** Whether a request of the type starts as a draft: a fee paid before the queue, or a required attachment. */
  startsAsDraft(type: DocumentType): boolean {
    return (type.payBeforeQueue === true && type.fee.amount > 0) || (type.attachments ?? []).some((a) => a.required);
  }

  /** Why `fields` cannot be the holder's data of a `type` document; empty when it can. Never throws. */
  validateFields(type: DocumentType, fields: unknown): FieldError[] {
    if (!isPlainObject(fields)) return [{ field: 'fields', message: 'must be an object' }];
    const errors: FieldError[] = [];
    const known = new Set(type.fields.map((f) => f.name));
    for (const name of Object.keys(fields)) {
      if (!known.has(name)) errors.push({ field: `fields.${name}`, message: `is not a field of ${type.code}` });
    }
    for (const definition of type.fields) {
      const message = this.checkField(definition, fields[definition.name]);
      if (message) errors.push({ field: `fields.${definition.name}`, message });
    }
    return errors;
  }

  /** The holder's data as printed on the document: labels in `language` and English, values made readable. */
  printableFields(type: DocumentType, fields: Record<string, string>, language: string): Array<{ label: BilingualText; value: string }> {
    return type.fields
      .filter((definition) => definition.printed !== false && typeof fields[definition.name] === 'string' && fields[definition.name].trim() !== '')
      .map((definition) => ({
        label: bilingual(definition.label, language),
        value: this.printedValue(definition, fields[definition.name], language),
      }));
  }

  /** A layout text (title, body or footer) in `language` and English, with `{{field}}` placeholders filled in. */
  layoutText(type: DocumentType, part: keyof DocumentType['layout'], fields: Record<string, string>, language: string): BilingualText | undefined {
    const text = type.layout[part];
    if (!text) return undefined;
    const definitions = new Map(type.fields.map((f) => [f.name, f]));
    const fill = (template: string, lang: string) =>
      template.replace(PLACEHOLDER, (_, name: string) => {
        const definition = definitions.get(name);
        const value = fields[name];
        return definition && typeof value === 'string' ? this.printedValue(definition, value, lang) : '';
      });
    const local = inLanguage(text, language);
    return { local: fill(local, language in text ? language : 'en'), en: fill(text.en, 'en') };
  }

  private checkField(definition: DocumentFieldDefinition, value: unknown): string | undefined {
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      return definition.required ? 'is required' : undefined;
    }
    if (typeof value !== 'string') return 'must be a string';
    const maxLength = definition.maxLength ?? DEFAULT_MAX_LENGTH;
    if ([...value].length > maxLength) return `must be at most ${maxLength} characters long`;
    const typeError = this.checkType(definition, value);
    if (typeError) return typeError;
    if (definition.pattern && !this.pattern(definition, definition.pattern).test(value)) return 'has an invalid format';
    return undefined;
  }

  private checkType(definition: DocumentFieldDefinition, value: string): string | undefined {
    switch (definition.type) {
      case 'text':
        // eslint-disable-next-line no-control-regex
        return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value) ? 'must not contain control characters' : undefined;
      case 'date':
        return isRealDate(value) ? undefined : 'must be a real date written YYYY-MM-DD';
      case 'country':
        return isISO31661Alpha2(value) && value === value.toUpperCase() ? undefined : 'must be an ISO 3166-1 alpha-2 country code in capitals, such as DE';
      case 'passportNumber':
        return this.passportNumber.test(value) ? undefined : 'is not a valid passport number';
      case 'enum':
        return definition.options?.some((o) => o.value === value)
          ? undefined
          : `must be one of ${definition.options?.map((o) => o.value).join(', ')}`;
      case 'email':
        return value.length <= 254 && EMAIL_PATTERN.test(value) ? undefined : 'must be an e-mail address';
      case 'phone':
        return PHONE_PATTERN.test(value) ? undefined : 'must be a phone number in international format, such as +493012345678';
    }
  }

  private pattern(definition: DocumentFieldDefinition, source: string): RegExp {
    let pattern = this.patterns.get(definition);
    if (!pattern) {
      pattern = new RegExp(source, 'u');
      this.patterns.set(definition, pattern);
    }
    return pattern;
  }

  private printedValue(definition: DocumentFieldDefinition, value: string, language: string): string {
    if (definition.type === 'enum') {
      const label = definition.options?.find((o) => o.value === value)?.label;
      return label ? inLanguage(label, language) : value;
    }
    if (definition.type === 'country') return countryName(value, language);
    return value;
  }

}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRealDate(value: string): boolean {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Reads every `<code>.json` in `directory`, checking each against the shape of a DocumentType. */
export function loadDocumentTypes(directory: string, languages: string[]): ReadonlyMap<string, DocumentType> {
  const types = new Map<string, DocumentType>();
  const files = readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .sort();
  for (const file of files) {
    const path = join(directory, file);
    const name = path.startsWith(projectPath()) ? relative(projectPath(), path) : path;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(`Invalid document type ${name}: ${(error as Error).message}`, { cause: error });
    }
    const problems = new DocumentTypeChecker(languages).check(raw, basename(file, '.json'));
    if (problems.length > 0) throw new Error(`Invalid document type ${name}: ${problems.join('; ')}`);
    types.set(basename(file, '.json'), deepFreeze(raw as DocumentType));
  }
  if (types.size === 0) throw new Error(`No document types found in ${directory}`);
  return types;
}

/** Collects every way a parsed template differs from a DocumentType, as "path problem" lines. */
class DocumentTypeChecker {
  private readonly problems: string[] = [];

  constructor(private readonly languages: string[]) {}

  check(raw: unknown, fileCode: string): string[] {
    const optional = ['requiresRegistration', 'fromRegistration', 'payBeforeQueue', 'attachments'];
    const keys = ['code', 'name', 'description', 'approverRoles', 'fee', 'validityDays', 'fields', 'layout', ...optional];
    if (!this.object(raw, '', keys, keys.filter((k) => !optional.includes(k)))) {
      return this.problems;
    }
    if (raw.code !== fileCode) this.problems.push(`code must be "${fileCode}", the file's name`);
    if (typeof raw.code !== 'string' || !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(raw.code)) this.problems.push('code must be kebab-case');
    this.localized(raw.name, 'name');
    this.localized(raw.description, 'description');
    const roles = raw.approverRoles;
    if (
      !Array.isArray(roles) ||
      roles.length === 0 ||
      roles.some((r) => !(DOCUMENT_APPROVER_ROLES as readonly unknown[]).includes(r)) ||
      new Set(roles).size !== roles.length
    ) {
      this.problems.push(`approverRoles must be a non-empty list of distinct roles among ${DOCUMENT_APPROVER_ROLES.join(', ')}`);
    }
    if (this.object(raw.fee, 'fee', ['amount', 'currency'])) {
      if (typeof raw.fee.amount !== 'number' || !(raw.fee.amount >= 0)) this.problems.push('fee.amount must be a number, 0 or more');
      if (typeof raw.fee.currency !== 'string' || !/^[A-Z]{3}$/.test(raw.fee.currency)) this.problems.push('fee.currency must be an ISO 4217 code');
    }
    if (raw.payBeforeQueue !== undefined && typeof raw.payBeforeQueue !== 'boolean') this.problems.push('payBeforeQueue must be true or false');
    if (raw.attachments !== undefined) this.attachments(raw.attachments);
    if (!Number.isInteger(raw.validityDays) || (raw.validityDays as number) <= 0) this.problems.push('validityDays must be a positive integer');
    const fieldNames = this.fields(raw.fields);
    if (raw.requiresRegistration !== undefined && typeof raw.requiresRegistration !== 'boolean') this.problems.push('requiresRegistration must be true or false');
    if (raw.fromRegistration !== undefined) {
      if (!isPlainObject(raw.fromRegistration)) this.problems.push('fromRegistration must be an object of field name → source');
      for (const [field, source] of Object.entries(isPlainObject(raw.fromRegistration) ? raw.fromRegistration : {})) {
        if (!fieldNames.has(field)) this.problems.push(`fromRegistration names ${field}, which is not a field`);
        if (!(REGISTRATION_SOURCES as readonly unknown[]).includes(source)) {
          this.problems.push(`fromRegistration.${field} must be one of ${REGISTRATION_SOURCES.join(', ')}`);
        }
      }
    }
    if (this.object(raw.layout, 'layout', ['title', 'body', 'footer'], ['title'])) {
      for (const part of ['title', 'body', 'footer'] as const) {
        if (raw.layout[part] === undefined) continue;
        this.localized(raw.layout[part], `layout.${part}`);
        for (const text of Object.values(isPlainObject(raw.layout[part]) ? raw.layout[part] : {})) {
          for (const [, placeholder] of String(text).matchAll(PLACEHOLDER)) {
            if (!fieldNames.has(placeholder)) this.problems.push(`layout.${part} names {{${placeholder}}}, which is not a field`);
          }
        }
      }
    }
    return [...new Set(this.problems)];
  }

  private fields(fields: unknown): Set<string> {
    const names = new Set<string>();
    if (!Array.isArray(fields) || fields.length === 0) {
      this.problems.push('fields must be a non-empty list');
      return names;
    }
    fields.forEach((field: unknown, index) => {
      const path = `fields[${index}]`;
      if (!this.object(field, path, ['name', 'type', 'required', 'maxLength', 'pattern', 'printed', 'options', 'label'], ['name', 'type', 'required', 'label'])) {
        return;
      }
      if (typeof field.name !== 'string' || !/^[a-z][A-Za-z0-9]*$/.test(field.name)) {
        this.problems.push(`${path}.name must be a camelCase name`);
      } else if (names.has(field.name)) {
        this.problems.push(`${path}.name "${field.name}" is used twice`);
      } else {
        names.add(field.name);
      }
      if (!(DOCUMENT_FIELD_TYPES as readonly unknown[]).includes(field.type)) {
        this.problems.push(`${path}.type must be one of ${DOCUMENT_FIELD_TYPES.join(', ')}`);
      }
      if (typeof field.required !== 'boolean') this.problems.push(`${path}.required must be true or false`);
      if (field.printed !== undefined && typeof field.printed !== 'boolean') this.problems.push(`${path}.printed must be true or false`);
      if (field.maxLength !== undefined && (!Number.isInteger(field.maxLength) || (field.maxLength as number) <= 0)) {
        this.problems.push(`${path}.maxLength must be a positive integer`);
      }
      if (field.pattern !== undefined && !isRegExpSource(field.pattern)) this.problems.push(`${path}.pattern must be a valid regular expression`);
      this.localized(field.label, `${path}.label`);
      this.options(field, path);
    });
    return names;
  }

  private attachments(attachments: unknown): void {
    if (!Array.isArray(attachments)) {
      this.problems.push('attachments must be a list');
      return;
    }
    const names = new Set<unknown>();
    attachments.forEach((attachment: unknown, index) => {
      const path = `attachments[${index}]`;
      if (!this.object(attachment, path, ['name', 'label', 'required', 'types', 'maxBytes'])) return;
      if (typeof attachment.name !== 'string' || !/^[a-z][A-Za-z0-9]{0,49}$/.test(attachment.name)) this.problems.push(`${path}.name must be a camelCase name`);
      if (names.has(attachment.name)) this.problems.push(`${path}.name is used twice`);
      names.add(attachment.name);
      this.localized(attachment.label, `${path}.label`);
      if (typeof attachment.required !== 'boolean') this.problems.push(`${path}.required must be true or false`);
      const types = attachment.types;
      if (!Array.isArray(types) || types.length === 0 || types.some((t) => !(ATTACHMENT_TYPES as readonly unknown[]).includes(t))) {
        this.problems.push(`${path}.types must be a non-empty list among ${ATTACHMENT_TYPES.join(', ')}`);
      }
      const maxBytes = attachment.maxBytes;
      if (!Number.isInteger(maxBytes) || (maxBytes as number) <= 0 || (maxBytes as number) > MAX_UPLOAD_BYTES) {
        this.problems.push(`${path}.maxBytes must be a positive integer, at most ${MAX_UPLOAD_BYTES}`);
      }
    });
  }

  private options(field: Record<string, unknown>, path: string): void {
    if (field.type !== 'enum') {
      if (field.options !== undefined) this.problems.push(`${path}.options is only for enum fields`);
      return;
    }
    const options = field.options;
    if (!Array.isArray(options) || options.length === 0) {
      this.problems.push(`${path}.options must be a non-empty list for an enum field`);
      return;
    }
    const values = new Set<unknown>();
    options.forEach((option: unknown, index) => {
      const optionPath = `${path}.options[${index}]`;
      if (!this.object(option, optionPath, ['value', 'label'])) return;
      if (typeof option.value !== 'string' || option.value === '') this.problems.push(`${optionPath}.value must be a non-empty string`);
      if (values.has(option.value)) this.problems.push(`${optionPath}.value is used twice`);
      values.add(option.value);
      this.localized(option.label, `${optionPath}.label`);
    });
  }

  /** Whether `value` is an object with only `allowed` keys and every `required` one (all allowed ones by default). */
  private object(value: unknown, path: string, allowed: string[], required = allowed): value is Record<string, unknown> {
    if (!isPlainObject(value)) {
      this.problems.push(`${path || 'the file'} must be an object`);
      return false;
    }
    const at = (key: string) => (path ? `${path}.${key}` : key);
    for (const key of Object.keys(value)) if (!allowed.includes(key)) this.problems.push(`${at(key)} is not a known key`);
    for (const key of required) if (value[key] === undefined) this.problems.push(`${at(key)} is missing`);
    return true;
  }

  private localized(value: unknown, path: string): void {
    if (!isPlainObject(value)) {
      this.problems.push(`${path} must be an object with a text per language (${this.languages.join(', ')})`);
      return;
    }
    for (const language of this.languages) {
      if (typeof value[language] !== 'string' || value[language].trim() === '') this.problems.push(`${path}.${language} is missing`);
    }
  }
}

function isRegExpSource(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    new RegExp(value, 'u');
    return true;
  } catch {
    return false;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
