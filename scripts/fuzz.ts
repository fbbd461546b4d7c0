/**
 * Fuzzes every operation of the portal's OpenAPI document with generated hostile and schema-shaped requests from
 * every kind of caller, on a scratch database (DATABASE_URL's server, else the embedded PostgreSQL), and prints a
 * table of answers by operation and status. Exits 1 on any 5xx or breach of the error contract, printing each
 * failing operation's shrunk request.
 *
 *   npm run fuzz                               20,000 requests
 *   FUZZ_RUNS=100000 FUZZ_SEED=42 npm run fuzz  more, or a run replayed
 */
import { describeFailure, FUZZ_APP_OVERRIDES, fuzzOperations, prepareFuzzTarget, statusTable } from '../test/fuzz/runner';
import { startTestApp } from '../test/support/test-app';

async function main(): Promise<number> {
  const runs = Number(process.env.FUZZ_RUNS ?? 20_000);
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
  const booted = Date.now();
  const t = await startTestApp(FUZZ_APP_OVERRIDES);
  try {
    const target = await prepareFuzzTarget(t);
    const runsPerOperation = Math.ceil(runs / target.operations.length);
    console.log(`Fuzzing ${target.operations.length} operations, ${runsPerOperation} requests each (booted in ${Date.now() - booted} ms)`);
    let done = 0;
    const report = await fuzzOperations(target, {
      runsPerOperation,
      seed,
      onOperationDone: (key) => console.log(`  ${String(++done).padStart(3)}/${target.operations.length} ${key}`),
    });
    target.agent.destroy();
    console.log(`\n${statusTable(report)}\n`);
    console.log(`${report.cases} requests in ${(report.millis / 1000).toFixed(1)} s (${Math.round(report.cases / (report.millis / 1000))}/s), seed ${report.seed}`);
    console.log(`5xx answers: ${report.serverErrors}; operations breaking the contract: ${report.failures.length}`);
    for (const failure of report.failures) console.log(`\n${describeFailure(failure)}`);
    return report.failures.length > 0 || report.serverErrors > 0 ? 1 : 0;
  } finally {
    await t.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error.stack ?? error.message);
    process.exit(1);
  },
);
