import { plainToInstance, Transform } from 'class-transformer';
import {
  getMetadataStorage,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toBoolean = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value;
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && value !== '' ? Number(value) : value);
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** The environment variables the portal reads, validated once at boot. */
export class Environment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @IsIn(['all', 'api', 'worker'])
  ROLE: 'all' | 'api' | 'worker' = 'all';

  @IsString()
  DATA_DIR = './var';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// connection string' })
  DATABASE_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  EMBEDDED_DB_PORT = 0;

  @Transform(toBoolean)
  @IsBoolean()
  MIGRATE_ON_START = true;

  /** Keep the embedded database in memory instead of under DATA_DIR (throwaway runs and tests). */
  @Transform(toBoolean)
  @IsBoolean()
  EMBEDDED_DB_IN_MEMORY = false;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsString()
  MAIL_FROM = 'Consular Services <no-reply@localhost>';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'PUBLIC_BASE_URL must be an absolute http(s) URL' })
  PUBLIC_BASE_URL?: string;

  /** A state's own web front end: when set, links in e-mails open its pages instead of the portal's (QR codes and /verify stay on PUBLIC_BASE_URL). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'WEB_BASE_URL must be an absolute http(s) URL' })
  WEB_BASE_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsEmail({}, { message: 'BOOTSTRAP_ADMIN_EMAIL must be an e-mail address' })
  BOOTSTRAP_ADMIN_EMAIL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  BOOTSTRAP_ADMIN_PASSWORD?: string;

  /** Comma-separated list of allowed browser origins; empty disables CORS. */
  @IsString()
  CORS_ORIGINS = '';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** `json` (one object a line), `pretty` (coloured lines for a person), or `auto`: pretty outside production when stdout is a terminal. */
  @IsIn(['auto', 'json', 'pretty'], { message: 'LOG_FORMAT must be auto, json or pretty' })
  LOG_FORMAT: 'auto' | 'json' | 'pretty' = 'auto';

  /** Which issuing state's data file (data/states/<code>.json) configures the portal. */
  @Matches(/^[A-Z]{2}$/, { message: 'STATE_CODE must be an ISO 3166-1 alpha-2 code' })
  STATE_CODE = 'UZ';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10)
  TRUST_PROXY = 0;

  /** How often idle workers look for new jobs. */
  @Transform(({ value }) => (typeof value === 'string' && value !== '' ? Number(value) : value))
  @IsNumber()
  @Min(0.5)
  JOB_POLL_SECONDS = 2;

  /** First retry delay of a failed job; later retries back off exponentially. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  JOB_RETRY_DELAY_SECONDS = 15;

  /** Seconds a job handler may run before it is expired; also the drain time on shutdown. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SHUTDOWN_GRACE_SECONDS = 10;

  /** Requests per minute one IP address may make to sign-in, registration, reset and verification routes. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AUTH_RATE_LIMIT_PER_MINUTE = 20;

  /** Requests per minute one IP address may make to any route. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE = 600;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(3600)
  ACCESS_TOKEN_TTL_SECONDS = 900;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  REFRESH_TOKEN_TTL_DAYS = 30;

  /** When the audit chain's head is signed (cron, UTC): hourly by default, `0 3 * * *` for daily. */
  @Matches(/^\S+( \S+){4}$/, { message: 'AUDIT_CHECKPOINT_CRON must be a cron expression of five fields' })
  AUDIT_CHECKPOINT_CRON = '0 * * * *';

  /** Seconds after a refresh during which the same refresh token again gets the same new pair (a retry on a flaky connection). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60)
  REFRESH_GRACE_SECONDS = 10;

  /** Path to the PKCS#8 PEM of the Ed25519 key that signs documents; generated under DATA_DIR outside production. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  SIGNING_KEY_FILE?: string;

  /** Comma-separated paths to public-key PEMs of retired signing keys, still published so old documents verify. */
  @IsString()
  SIGNING_RETIRED_KEY_FILES = '';

  /** Where uploaded files (visa photos, passport scans) are kept: `local`, a folder under DATA_DIR (see README for adding `s3`). */
  @IsIn(['local'], { message: 'FILE_STORAGE must be local' })
  FILE_STORAGE = 'local' as const;

  /**
   * Who settles fees (e-visas, consular documents): `development` settles every payment at once (the default outside production), `none`
   * refuses them (the default in production, so that no fee is waived by the development provider).
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(['development', 'none'], { message: 'PAYMENT_PROVIDER must be development or none' })
  PAYMENT_PROVIDER?: 'development' | 'none';

  /** Minutes an officer's claim on an e-visa application may sit untouched before the application returns to the queue. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1440)
  VISA_CLAIM_TIMEOUT_MINUTES = 30;

  /** Base64 of 32 random bytes: the master key for encrypting passport numbers at rest; generated outside production. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'DATA_ENCRYPTION_KEY must be 32 bytes in base64' })
  DATA_ENCRYPTION_KEY?: string;

  /** Attempts an alert delivery gets when the mail server fails for a while (4xx, no connection) before it is failed. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(20)
  ALERT_DELIVERY_ATTEMPTS = 5;

  /** Delay before an alert delivery's first retry; each further retry waits twice as long. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  ALERT_RETRY_DELAY_SECONDS = 30;

  /**
   * Seconds after which a delivery still `sending` is taken for the work of a dead worker: it is failed as
   * "interrupted, outcome unknown" (never sent again: at most once). Longer than any one send can take.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  ALERT_SEND_LEASE_SECONDS = 900;
}

/** Validates raw variables; throws one line per bad variable, naming it. */
export function validateEnvironment(raw: Record<string, string | undefined>): Environment {
  const known = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(Environment, '', true, false)
      .map((m) => m.propertyName),
  );
  const candidate = Object.fromEntries(Object.entries(raw).filter(([key, value]) => value !== undefined && known.has(key)));
  const env = plainToInstance(Environment, candidate, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new Error(`Invalid configuration: ${lines.join(' | ')}`);
  }
  if (env.NODE_ENV === 'production') {
    if (!env.JWT_SECRET) throw new Error('Invalid configuration: JWT_SECRET is required when NODE_ENV=production');
    if (!env.PUBLIC_BASE_URL) throw new Error('Invalid configuration: PUBLIC_BASE_URL is required when NODE_ENV=production');
    if (!env.SIGNING_KEY_FILE) throw new Error('Invalid configuration: SIGNING_KEY_FILE is required when NODE_ENV=production');
    if (!env.DATA_ENCRYPTION_KEY) throw new Error('Invalid configuration: DATA_ENCRYPTION_KEY is required when NODE_ENV=production');
  }
  return env;
}

/** The database the TypeORM CLI works on: DATABASE_URL, or a local development database. */
export function cliDatabaseUrl(): string {
  return process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/consular_dev';
}
