import { describeFailure, FUZZ_APP_OVERRIDES, fuzzOperations, FuzzTarget, prepareFuzzTarget } from './fuzz/runner';
import { startTestApp, TestApp } from './support/test-app';

/** Requests per operation in `npm test` (`npm run fuzz` sends many more); FUZZ_SEED replays a run. */
const RUNS_PER_OPERATION = 50;

/**
 * Every operation of the live OpenAPI document, fed generated parameters and bodies (hostile and schema-shaped)
 * by every kind of caller: no answer is a 5xx, every error is problem+json, no body shows a stack or SQL.
 */
describe('Fuzzing every operation of the OpenAPI document', () => {
  let t: TestApp;
  let target: FuzzTarget;
  beforeAll(async () => {
    t = await startTestApp(FUZZ_APP_OVERRIDES);
    target = await prepareFuzzTarget(t);
  });
  afterAll(async () => {
    target?.agent.destroy();
    await t?.close();
  });

  it('keeps the error contract for every generated request, and gets shaped requests past validation', async () => {
    const report = await fuzzOperations(target, { runsPerOperation: RUNS_PER_OPERATION, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined });
    // Each failure names its seed and its shrunk request; FUZZ_SEED=<seed> replays the run.
    expect(report.failures.map(describeFailure)).toEqual([]);
    expect(report.statuses.size).toBe(target.operations.length);
    expect(report.cases).toBeGreaterThanOrEqual(target.operations.length * RUNS_PER_OPERATION);
    // Shaped values must reach the services: most operations answer a 2xx to some generated request.
    const succeeded = [...report.statuses.values()].filter((row) => [...row.keys()].some((status) => status >= 200 && status < 300));
    expect(succeeded.length).toBeGreaterThanOrEqual(target.operations.length / 2);
  });
});
