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
});
