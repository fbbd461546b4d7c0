import pino from 'pino';
import { Writable } from 'node:stream';
import { REDACTED_PATHS } from './logging.module';

describe('log redaction', () => {
  it('never writes passwords, tokens or passport numbers', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
    logger.info({ body: { email: 'a@b.c', password: 'Secret-Password-1', refreshToken: 'rt-123', passportNumber: 'AB1234567' } }, 'login');
    logger.info({ req: { headers: { authorization: 'Bearer eyJ.secret' } } }, 'request');
    logger.info({ dto: { member: { passportNumber: 'AC7654321', token: 'tok-9' } } }, 'nested');
    const output = lines.join('');
    for (const secret of ['Secret-Password-1', 'rt-123', 'AB1234567', 'eyJ.secret', 'AC7654321', 'tok-9']) {
      expect(output).not.toContain(secret);
    }
    expect(output).toContain('[redacted]');
    expect(output).toContain('a@b.c');
  });
});
