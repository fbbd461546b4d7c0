import { validateEnvironment } from './environment';

describe('validateEnvironment', () => {
  it('applies defaults for a development start with nothing set', () => {
    const env = validateEnvironment({});
    expect(env).toEqual(expect.objectContaining({ NODE_ENV: 'development', PORT: 3000, ROLE: 'all', DATA_DIR: './var', MIGRATE_ON_START: true }));
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('converts typed values', () => {
    const env = validateEnvironment({ PORT: '8080', MIGRATE_ON_START: 'false', JOB_POLL_SECONDS: '0.5', DATABASE_URL: 'postgresql://u@h/db' });
    expect(env).toEqual(expect.objectContaining({ PORT: 8080, MIGRATE_ON_START: false, JOB_POLL_SECONDS: 0.5, DATABASE_URL: 'postgresql://u@h/db' }));
  });

  it.each([
    [{ PORT: 'eighty' }, /^Invalid configuration: PORT: /],
    [{ ROLE: 'everything' }, /^Invalid configuration: ROLE: /],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres:\/\/ connection string/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET must be at least 32 characters/],
    [{ DATA_ENCRYPTION_KEY: 'abc' }, /DATA_ENCRYPTION_KEY must be 32 bytes in base64/],
    [{ LOG_FORMAT: 'xml' }, /LOG_FORMAT must be auto, json or pretty/],
  ])('stops with one line naming the variable for %j', (raw, message) => {
    expect(() => validateEnvironment(raw)).toThrow(message);
    try {
      validateEnvironment(raw);
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('requires the secrets and the public address in production', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET is required/);
    const withSecret = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) };
    expect(() => validateEnvironment(withSecret)).toThrow(/PUBLIC_BASE_URL is required/);
    const withUrl = { ...withSecret, PUBLIC_BASE_URL: 'https://consular.example' };
    expect(() => validateEnvironment(withUrl)).toThrow(/SIGNING_KEY_FILE is required/);
    expect(() => validateEnvironment({ ...withUrl, SIGNING_KEY_FILE: '/run/secrets/signing.pem' })).toThrow(/DATA_ENCRYPTION_KEY is required/);
  });

  it('ignores unrelated variables', () => {
    expect(() => validateEnvironment({ PATH: '/usr/bin', HOME: '/root', npm_config_foo: 'bar' })).not.toThrow();
  });
});
