/**
 * The "npm install && npm start" path with no services configured: the real entry point in a child process, with
 * no DATABASE_URL and no SMTP_URL (whatever this process has), so the portal runs on its embedded PostgreSQL under
 * DATA_DIR and writes e-mails as .eml files. A second start on the same DATA_DIR must find the data of the first.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const READY_TIMEOUT_MS = 60_000;
const EXIT_TIMEOUT_MS = 15_000;
/** Variables the child must not inherit from the test run: it starts as a fresh clone would. */
const NOT_INHERITED = ['DATABASE_URL', 'SMTP_URL', 'NODE_ENV', 'EMBEDDED_DB_IN_MEMORY', 'PUBLIC_BASE_URL', 'JWT_SECRET', 'MIGRATE_ON_START'];

interface Portal {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
  exited: Promise<number | null>;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function startPortal(dataDir: string): Promise<Portal> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  for (const name of NOT_INHERITED) delete env[name];
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const portal = { child, baseUrl: `http://127.0.0.1:${port}`, output: () => output, exited };
  await waitUntilReady(portal);
  return portal;
}

async function waitUntilReady(portal: Portal): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exitCode: number | null | undefined;
  void portal.exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`The portal exited with ${exitCode} before it was ready:\n${portal.output()}`);
    const status = await fetch(`${portal.baseUrl}/health/ready`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await sleep(250);
  }
  throw new Error(`/health/ready did not answer 200 within ${READY_TIMEOUT_MS} ms:\n${portal.output()}`);
}

/** SIGTERM, then the exit code ('timeout' when it did not exit in time). */
async function stopPortal(portal: Portal): Promise<number | null | 'timeout'> {
  if (portal.child.exitCode !== null || portal.child.signalCode !== null) return portal.child.exitCode;
  portal.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolveTimeout) => (timer = setTimeout(() => resolveTimeout('timeout'), EXIT_TIMEOUT_MS)));
  try {
    return await Promise.race([portal.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}

function register(portal: Portal, email: string): Promise<Response> {
  return fetch(`${portal.baseUrl}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: 'Samarkand-Registan-1417', fullName: 'Dilnoza Karimova' }),
  });
}

async function waitForMailFile(mailDir: string, to: string, contains = '', timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const files = existsSync(mailDir) ? readdirSync(mailDir).filter((name) => name.endsWith('.eml')) : [];
    const message = files.map((name) => readFileSync(join(mailDir, name), 'utf8')).find((text) => text.includes(to) && text.includes(contains));
    if (message) return message;
    await sleep(250);
  }
  throw new Error(`No .eml file to ${to} in ${mailDir} within ${timeoutMs} ms`);
}

describe('Smoke: npm start with no services configured', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'consular-smoke-'));
  const email = `smoke.${Date.now().toString(36)}@example.org`;
  const portals: Portal[] = [];

  afterAll(async () => {
    for (const portal of portals) {
      if ((await stopPortal(portal)) === 'timeout') portal.child.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts on the embedded database, serves missions, writes e-mails to DATA_DIR/mail and stops cleanly on SIGTERM', async () => {
    const portal = await startPortal(dataDir);
    portals.push(portal);

    const missions = await fetch(`${portal.baseUrl}/api/v1/missions`);
    expect(missions.status).toBe(200);
    const list = (await missions.json()) as { code: string }[];
    expect(list.length).toBeGreaterThanOrEqual(12);
    expect(list.map((m) => m.code)).toContain('BER');

    const registered = await register(portal, email);
    expect(registered.status).toBe(201);
    const message = await waitForMailFile(join(dataDir, 'mail'), email);
    expect(message).toMatch(/^Subject: /m);
    expect(existsSync(join(dataDir, 'pgdata'))).toBe(true);

    expect(await stopPortal(portal)).toBe(0);
  }, 120_000);

  it('starts again on the same DATA_DIR with the data of the first run', async () => {
    const portal = await startPortal(dataDir);
    portals.push(portal);
    // The account from the first run is there: registering again answers as for a new address, and warns its owner.
    const again = await register(portal, email);
    expect(again.status).toBe(201);
    await waitForMailFile(join(dataDir, 'mail'), email, 'Subject: Someone tried to register');
    expect(await stopPortal(portal)).toBe(0);
  }, 120_000);
});
