import { Transform } from 'class-transformer';
import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { normalisePassportNumber } from '../../common/crypto/field-cipher';
import { addYears, earliestToday, isCalendarDate, isoDate, normalisePhone } from '../registration-rules';

/** Oldest age the portal accepts for a person, in years. */
const MAX_AGE_YEARS = 130;

const onString = (fn: (value: string) => string) => Transform(({ value }) => (typeof value === 'string' ? fn(value) : value));

export const Trim = () => onString((value) => value.trim());
export const UpperCase = () => onString((value) => value.trim().toUpperCase());
export const NormalisePhone = () => onString(normalisePhone);
export const NormalisePassportNumber = () => onString(normalisePassportNumber);
export const StripSpaces = () => onString((value) => value.replace(/\s+/g, ''));

function rule(
  name: string,
  message: string,
  validate: (value: unknown, args: ValidationArguments) => boolean,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} ${message}`, ...options },
      validator: { validate },
    });
}

/** A real calendar date written YYYY-MM-DD. */
export const IsCalendarDate = (options?: ValidationOptions) =>
  rule('isCalendarDate', 'must be a date written YYYY-MM-DD', (value) => isCalendarDate(value), options);

/** A date of birth: in the past, and not more than 130 years ago. */
export const IsBirthDate = (options?: ValidationOptions) =>
  rule(
    'isBirthDate',
    `must be a date in the past, at most ${MAX_AGE_YEARS} years ago`,
    (value) => {
      if (!isCalendarDate(value)) return false;
      const today = isoDate(new Date());
      return value <= today && value >= addYears(today, -MAX_AGE_YEARS);
    },
    options,
  );

/** A date not in the past (with a day's allowance for time zones behind UTC). */
export const IsNotPastDate = (options?: ValidationOptions) =>
  rule('isNotPastDate', 'must not be in the past', (value) => isCalendarDate(value) && value >= earliestToday(), options);

/** A date at most `years` from now. */
export const IsWithinYears = (years: number, options?: ValidationOptions) =>
  rule('isWithinYears', `must be within ${years} years from today`, (value) => isCalendarDate(value) && value <= addYears(isoDate(new Date()), years), options);

/** A date on or after the date in another property of the same object (when that one is a date). */
export const IsNotBefore = (property: string, options?: ValidationOptions) =>
  rule(
    'isNotBefore',
    `must not be before ${property}`,
    (value, args) => {
      const other = (args.object as Record<string, unknown>)[property];
      return !isCalendarDate(other) || (isCalendarDate(value) && value >= other);
    },
    options,
  );

/** An ISO 3166-2 subdivision of the country in the `country` property of the same object. */
export const IsSubdivisionOfCountry = (options?: ValidationOptions) =>
  rule(
    'isSubdivisionOfCountry',
    'must be a subdivision (ISO 3166-2) of the address country',
    (value, args) => {
      const country = (args.object as Record<string, unknown>).country;
      return typeof value === 'string' && typeof country === 'string' && value.startsWith(`${country}-`);
    },
    options,
  );
