import { readFileSync } from 'node:fs';
import { OPENAPI_FILE, serialiseOpenApi } from '../scripts/openapi';
import { startTestApp, TestApp } from './support/test-app';

describe('OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('served at /docs-json is the committed openapi/openapi.json', async () => {
    const served = serialiseOpenApi((await t.http().get('/docs-json').expect(200)).body);
    const committed = readFileSync(OPENAPI_FILE, 'utf8');
    if (served !== committed) {
      throw new Error('openapi/openapi.json differs from the API the app serves: run `npm run openapi` and commit the result.');
    }
  });

  it('gives every route a summary, and its error answers as problem+json (401 and 403 wherever a token is needed)', () => {
    const document = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as {
      paths: Record<string, Record<string, { summary?: string; security?: unknown[]; responses: Record<string, { content?: Record<string, unknown> }> }>>;
    };
    const faults: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const route = `${method.toUpperCase()} ${path}`;
        if (!operation.summary) faults.push(`${route}: no summary`);
        if (operation.security && !(operation.responses['401'] && operation.responses['403'])) faults.push(`${route}: no 401/403`);
        for (const [status, response] of Object.entries(operation.responses)) {
          if (status.startsWith('4') && !response.content?.['application/problem+json']) faults.push(`${route}: ${status} without problem+json`);
        }
      }
    }
    expect(faults).toEqual([]);
  });
});
