/**
 * Writes the portal's OpenAPI document to openapi/openapi.json, or with --check fails when the committed file
 * differs from what the code declares.
 *
 *   npm run openapi              regenerate the committed document
 *   npm run openapi -- --check   exit 1 when it is out of date (CI)
 *
 * The app is built in preview mode: modules and routes are scanned but no provider is instantiated, so no
 * database, queue or mail server is needed.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { OpenAPIObject } from '@nestjs/swagger';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { AppModule } from '../src/app.module';
import { buildOpenApi, configureRoutes } from '../src/app.setup';
import { AppConfig, projectPath } from '../src/config/app-config';

export const OPENAPI_FILE = projectPath('openapi', 'openapi.json');

/** The committed form: keys sorted at every level (arrays keep their order), 2-space JSON, trailing newline. */
export function serialiseOpenApi(document: unknown): string {
  return `${JSON.stringify(sortKeys(document), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

/** The document as the code declares it, from configuration defaults (a throwaway DATA_DIR holds generated secrets). */
export async function generateOpenApi(): Promise<OpenAPIObject> {
  const dataDir = mkdtempSync(join(tmpdir(), 'consular-openapi-'));
  const overrides = { NODE_ENV: 'development', LOG_LEVEL: 'silent', DATA_DIR: dataDir, DATABASE_URL: undefined, SMTP_URL: undefined };
  try {
    const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(overrides), new FastifyAdapter(), {
      preview: true,
      abortOnError: false,
      logger: false,
      bodyParser: false,
    });
    configureRoutes(app);
    const document = buildOpenApi(app, AppConfig.fromEnvironment(overrides));
    await app.close();
    return document;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function readCommitted(): string | undefined {
  try {
    return readFileSync(OPENAPI_FILE, 'utf8');
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  const generated = serialiseOpenApi(await generateOpenApi());
  const file = relative(process.cwd(), OPENAPI_FILE);
  if (check) {
    const committed = readCommitted();
    if (committed === generated) {
      console.log(`${file} is up to date.`);
      return 0;
    }
    console.error(
      committed === undefined
        ? `${file} is missing. Run \`npm run openapi\` and commit the result.`
        : `${file} is out of date: the API changed (${describeDifference(committed, generated)}). Run \`npm run openapi\` and commit the result.`,
    );
    return 1;
  }
  mkdirSync(dirname(OPENAPI_FILE), { recursive: true });
  writeFileSync(OPENAPI_FILE, generated);
  const document = JSON.parse(generated) as OpenAPIObject;
  console.log(`Wrote ${file}: ${Object.keys(document.paths).length} paths, ${Object.keys(document.components?.schemas ?? {}).length} schemas.`);
  return 0;
}

/** Which paths appeared or went away, else the first differing line, so the CI log says what moved. */
function describeDifference(committed: string, generated: string): string {
  let before: OpenAPIObject | undefined;
  try {
    before = JSON.parse(committed) as OpenAPIObject;
  } catch {
    return 'the committed file is not valid JSON';
  }
  const after = JSON.parse(generated) as OpenAPIObject;
  const added = Object.keys(after.paths).filter((p) => !(p in (before.paths ?? {})));
  const removed = Object.keys(before.paths ?? {}).filter((p) => !(p in after.paths));
  const parts = [...added.map((p) => `+${p}`), ...removed.map((p) => `-${p}`)];
  if (parts.length > 0) return `paths ${parts.slice(0, 10).join(', ')}${parts.length > 10 ? ', …' : ''}`;
  const a = committed.split('\n');
  const b = generated.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  return `first difference at line ${(line === -1 ? a.length : line) + 1}: ${(b[line === -1 ? a.length : line] ?? '').trim()}`;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(error.stack ?? error.message);
      process.exit(1);
    },
  );
}
