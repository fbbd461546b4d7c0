import { ArgumentsHost, Logger } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { ProblemDetailsFilter } from './problem-details.filter';

/** Runs the filter on one error and returns what it answered. */
function answer(exception: unknown): { status: number; type: string; body: Record<string, unknown> } {
  const sent = { status: 0, type: '', body: {} as Record<string, unknown> };
  const reply = {
    sent: false,
    header: () => reply,
    getHeaders: () => ({}),
    status: (code: number) => ((sent.status = code), reply),
    type: (type: string) => ((sent.type = type), reply),
    send: (payload: string) => ((sent.body = JSON.parse(payload) as Record<string, unknown>), reply),
  };
  const request = { id: 'req-test-0001', url: '/api/v1/things?x=1' };
  const host = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }) } as unknown as ArgumentsHost;
  new ProblemDetailsFilter().catch(exception, host);
  return sent;
}

const pgError = (code: string, message: string) =>
  new QueryFailedError('SELECT * FROM audit_events WHERE id < $1', ['99999999999999999999'], Object.assign(new Error(message), { code }));

describe('ProblemDetailsFilter', () => {
  it.each([
    ['22003', 'value "99999999999999999999" is out of range for type bigint'],
    ['22008', 'date/time field value out of range: "294277-01-01"'],
    ['22021', 'invalid byte sequence for encoding "UTF8": 0x00'],
    ['22P02', 'invalid input syntax for type uuid: "x"'],
  ])('answers a PostgreSQL data exception (%s) with 400 and no SQL', (code, message) => {
    const { status, type, body } = answer(pgError(code, message));
    expect(status).toBe(400);
    expect(type).toBe('application/problem+json');
    expect(body).toEqual(expect.objectContaining({ status: 400, code: 'invalid_value', requestId: 'req-test-0001', instance: '/api/v1/things' }));
    expect(JSON.stringify(body)).not.toMatch(/SELECT|audit_events|out of range for|0x00|\$1/);
  });

  it('keeps other database errors out of the 400 class: an unknown one is a 500 with only the request id', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { status, body } = answer(pgError('57014', 'canceling statement due to statement timeout'));
    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toMatch(/SELECT|canceling|stack/);
    expect(body.detail).toContain('req-test-0001');
    expect(logged).toHaveBeenCalledTimes(1);
    logged.mockRestore();
  });
});
