import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Environment, validateEnvironment } from './environment';
import { readOrCreateSecret } from './secret-file';
import { IssuingState } from './issuing-state';

/** The folder holding package.json, whether running from src/ (ts) or dist/ (compiled). */
export const PROJECT_ROOT = (() => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();

/** Resolves a path relative to the project root (works from src/ under ts-node and from dist/). */
export function projectPath(...parts: string[]): string {
  return join(PROJECT_ROOT, ...parts);
}

/** Typed, validated configuration. Injected by class; the only reader of the environment. */
export class AppConfig {
  readonly env: Environment['NODE_ENV'];
  readonly isProduction: boolean;
  readonly port: number;
  readonly host: string;
  readonly role: Environment['ROLE'];
  readonly runsApi: boolean;
  readonly runsWorkers: boolean;
  readonly dataDir: string;
  readonly database: { url?: string; poolSize: number; embeddedPort: number; embeddedInMemory: boolean; migrateOnStart: boolean };
  readonly mail: { smtpUrl?: string; from: string; outboxDir: string };
  readonly publicBaseUrl: string;
  /** Where links in e-mails go: WEB_BASE_URL (a state's own front end) when set, else PUBLIC_BASE_URL's pages. */
  readonly webBaseUrl: string;
  readonly jwtSecret: string;
  readonly bootstrapAdmin?: { email: string; password: string };
  readonly corsOrigins: string[];
  readonly logLevel: string;
  /** Human-readable log lines (a developer's terminal) instead of JSON (production, and whenever output is piped). */
  readonly prettyLogs: boolean;
  readonly trustProxy: number;
  readonly shutdownGraceSeconds: number;
  readonly jobs: { pollSeconds: number; retryDelaySeconds: number };
  readonly state: IssuingState;
  readonly auth: { rateLimitPerMinute: number; accessTokenTtlSeconds: number; refreshTokenTtlDays: number; refreshGraceSeconds: number };
  readonly rateLimitPerMinute: number;
  /** Ed25519 document-signing key: configured PEM file, or generated under DATA_DIR/secrets outside production. */
  readonly signing: { keyFile?: string; retiredKeyFiles: string[] };
  /** Signed checkpoints of the audit chain: when the job makes one, and the append-only file each is copied to. */
  readonly audit: { checkpointCron: string; checkpointFile: string };
  /** The e-visa staff queue: how long a claim may sit untouched before the stale-claims job releases it. */
  readonly visaQueue: { claimTimeoutMinutes: number };
  /** Alert deliveries: attempts before a failing one is given up, its first retry delay, and a `sending` lease. */
  readonly alerts: { deliveryAttempts: number; retryDelaySeconds: number; sendLeaseSeconds: number };
  /** The payment provider that settles fees (e-visas, consular documents). */
  readonly payments: { provider: 'development' | 'none' };
  /** Master key (32 bytes) for personal data encrypted at rest; see registrations/field-cipher. */
  readonly dataEncryptionKey: Buffer;
  /** Which FileStorage implementation keeps uploaded files (StorageModule). */
  readonly fileStorage: { driver: Environment['FILE_STORAGE'] };

  constructor(env: Environment) {
    this.env = env.NODE_ENV;
    this.isProduction = env.NODE_ENV === 'production';
    this.port = env.PORT;
    this.host = env.HOST;
    this.role = env.ROLE;
    this.runsApi = env.ROLE !== 'worker';
    this.runsWorkers = env.ROLE !== 'api';
    this.dataDir = isAbsolute(env.DATA_DIR) ? env.DATA_DIR : resolve(process.cwd(), env.DATA_DIR);
    this.database = {
      url: env.DATABASE_URL,
      poolSize: env.DATABASE_POOL_SIZE,
      embeddedPort: env.EMBEDDED_DB_PORT,
      embeddedInMemory: env.EMBEDDED_DB_IN_MEMORY,
      migrateOnStart: env.MIGRATE_ON_START,
    };
    this.mail = { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM, outboxDir: join(this.dataDir, 'mail') };
    this.publicBaseUrl = (env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
    this.webBaseUrl = env.WEB_BASE_URL ? env.WEB_BASE_URL.replace(/\/+$/, '') : this.publicBaseUrl;
    this.jwtSecret = env.JWT_SECRET ?? readOrCreateSecret(this.dataDir, 'jwt-secret');
    if ((env.BOOTSTRAP_ADMIN_EMAIL === undefined) !== (env.BOOTSTRAP_ADMIN_PASSWORD === undefined)) {
      throw new Error('Invalid configuration: BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD go together');
    }
    this.bootstrapAdmin =
      env.BOOTSTRAP_ADMIN_EMAIL && env.BOOTSTRAP_ADMIN_PASSWORD
        ? { email: env.BOOTSTRAP_ADMIN_EMAIL, password: env.BOOTSTRAP_ADMIN_PASSWORD }
        : undefined;
    this.corsOrigins = env.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
    this.logLevel = env.LOG_LEVEL;
    this.prettyLogs = env.LOG_FORMAT === 'pretty' || (env.LOG_FORMAT === 'auto' && !this.isProduction && process.stdout.isTTY === true);
    this.trustProxy = env.TRUST_PROXY;
    this.shutdownGraceSeconds = env.SHUTDOWN_GRACE_SECONDS;
    this.jobs = { pollSeconds: env.JOB_POLL_SECONDS, retryDelaySeconds: env.JOB_RETRY_DELAY_SECONDS };
    this.auth = {
      rateLimitPerMinute: env.AUTH_RATE_LIMIT_PER_MINUTE,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlDays: env.REFRESH_TOKEN_TTL_DAYS,
      refreshGraceSeconds: env.REFRESH_GRACE_SECONDS,
    };
    this.rateLimitPerMinute = env.RATE_LIMIT_PER_MINUTE;
    this.signing = {
      keyFile: env.SIGNING_KEY_FILE,
      retiredKeyFiles: env.SIGNING_RETIRED_KEY_FILES.split(',').map((f) => f.trim()).filter(Boolean),
    };
    this.audit = { checkpointCron: env.AUDIT_CHECKPOINT_CRON, checkpointFile: join(this.dataDir, 'audit-checkpoints.jsonl') };
    this.visaQueue = { claimTimeoutMinutes: env.VISA_CLAIM_TIMEOUT_MINUTES };
    this.payments = { provider: env.PAYMENT_PROVIDER ?? (this.isProduction ? 'none' : 'development') };
    this.dataEncryptionKey = Buffer.from(
      env.DATA_ENCRYPTION_KEY ?? readOrCreateSecret(this.dataDir, 'data-encryption-key', () => randomBytes(32).toString('base64')),
      'base64',
    );
    this.fileStorage = { driver: env.FILE_STORAGE };
    this.alerts = {
      deliveryAttempts: env.ALERT_DELIVERY_ATTEMPTS,
      retryDelaySeconds: env.ALERT_RETRY_DELAY_SECONDS,
      sendLeaseSeconds: env.ALERT_SEND_LEASE_SECONDS,
    };
    this.state = IssuingState.load(projectPath('data', 'states', `${env.STATE_CODE.toLowerCase()}.json`));
  }

  /** Reads and validates configuration from the given variables (process.env, plus overrides in tests). */
  static fromEnvironment(overrides: Record<string, string | undefined> = {}): AppConfig {
    return new AppConfig(validateEnvironment({ ...process.env, ...overrides }));
  }
}
