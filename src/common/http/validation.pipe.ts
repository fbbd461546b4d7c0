import { ValidationError, ValidationPipe } from '@nestjs/common';
import type { ValidatorOptions } from 'class-validator';
import { CommonErrors } from './common.errors';
import { FieldError } from './domain.exception';

/** Where @nestjs/swagger keeps a DTO property's OpenAPI description (ApiProperty, and the mapped types' copies). */
const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return own.concat(flatten(error.children ?? [], field));
  });
}

/**
 * `null` is a value only where the DTO's OpenAPI says `nullable: true`. Elsewhere class-validator's @IsOptional
 * would let it through to a service or a NOT NULL column (a PATCH `{"fullName": null}`), so it is refused here,
 * for every DTO, nested ones included.
 */
function refusedNulls(dto: object): ValidationError[] {
  const errors: ValidationError[] = [];
  for (const [property, value] of Object.entries(dto)) {
    let error: ValidationError | undefined;
    if (value === null) {
      const declared = Reflect.getMetadata(API_MODEL_PROPERTIES, dto, property) as { nullable?: boolean } | undefined;
      if (!declared?.nullable) error = validationError(property, { notNull: `${property} must not be null` });
    } else if (Array.isArray(value)) {
      const children = value.flatMap((item, index) => (isDto(item) ? nestedError(String(index), refusedNulls(item)) : []));
      if (children.length > 0) error = validationError(property, undefined, children);
    } else if (isDto(value)) {
      [error] = nestedError(property, refusedNulls(value));
    }
    if (error) errors.push(error);
  }
  return errors;
}

/** An instance of a DTO class (class-transformer made it from a nested body object), not a free-form object. */
function isDto(value: unknown): value is object {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null;
}

function nestedError(property: string, children: ValidationError[]): ValidationError[] {
  return children.length > 0 ? [validationError(property, undefined, children)] : [];
}

function validationError(property: string, constraints?: Record<string, string>, children: ValidationError[] = []): ValidationError {
  return { property, constraints, children };
}

/** Global validation: unknown fields refused, values transformed to their DTO types, errors as `errors[]`. */
class PortalValidationPipe extends ValidationPipe {
  protected async validate(object: object, validatorOptions?: ValidatorOptions): Promise<ValidationError[]> {
    const errors = await super.validate(object, validatorOptions);
    const reported = new Set(errors.map((error) => error.property));
    return errors.concat(refusedNulls(object).filter((error) => !reported.has(error.property)));
  }
}

export function createValidationPipe(): ValidationPipe {
  return new PortalValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => CommonErrors.validationFailed.withFields(flatten(errors)),
  });
}
