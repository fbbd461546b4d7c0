/**
 * A "medium" test: the unit of work on a real database, with the database, job, audit and mail providers and no
 * HTTP app (in the spirit of immich's server/test/medium).
 */
import { Test, TestingModule } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AuditModule } from '../../src/audit/audit.module';
import { AuditService } from '../../src/audit/audit.service';
import { CommonModule } from '../../src/common/common.module';
import { CryptoModule } from '../../src/common/crypto/crypto.module';
import { Transaction, UnitOfWork } from '../../src/common/database/unit-of-work';
import { AppConfigModule } from '../../src/config/config.module';
import { DatabaseModule } from '../../src/database/database.module';
import { createScratchDatabase, ScratchDatabase } from '../../src/database/scratch-database';
import { JobsModule } from '../../src/jobs/jobs.module';
import { NotificationsModule } from '../../src/notifications/notifications.module';

/** Two transactions at once need a real server: the embedded database runs every connection on one backend. */
const onServer = process.env.DATABASE_URL ? it : it.skip;

describe('UnitOfWork (medium: real database, no HTTP)', () => {
  let moduleRef: TestingModule;
  let uow: UnitOfWork;
  let db: DataSource;
  let scratch: ScratchDatabase | undefined;
  let dataDir: string;
  let counter = 0;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'consular-medium-'));
    scratch = process.env.DATABASE_URL ? await createScratchDatabase(process.env.DATABASE_URL, 'consular_test') : undefined;
    moduleRef = await Test.createTestingModule({
      imports: [
        AppConfigModule.forRoot({
          NODE_ENV: 'test',
          LOG_LEVEL: 'silent',
          ROLE: 'api',
          DATA_DIR: dataDir,
          DATABASE_URL: scratch?.url,
          EMBEDDED_DB_IN_MEMORY: 'true',
        }),
        DatabaseModule,
        JobsModule,
        NotificationsModule,
        AuditModule,
        CryptoModule,
        CommonModule,
      ],
    }).compile();
    await moduleRef.init();
    uow = moduleRef.get(UnitOfWork);
    db = moduleRef.get(DataSource);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await scratch?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The work of a test: a mission row, an audit entry about it, an e-mail to someone. */
  async function openMission(tx: Transaction): Promise<{ code: string; email: string }> {
    counter += 1;
    const code = `T${Date.now().toString(36).slice(-5).toUpperCase()}${counter}`;
    const email = `uow.${code.toLowerCase()}@example.org`;
    await tx.manager.query(
      `INSERT INTO missions (code, kind, name, country, city, timezone) VALUES ($1, 'embassy', '{"en": "Test"}', 'DE', 'Berlin', 'Europe/Berlin')`,
      [code],
    );
    tx.audit({ actor: null, action: 'mission.created', entityType: 'mission', entityId: code, missionCode: code });
    tx.email({ to: email, template: 'verify-email', locale: 'en', context: { fullName: 'Test', link: 'https://consular.test/x' } });
    return { code, email };
  }

  const advisoryLocksHeld = async (tx: Transaction) =>
    Number((await tx.manager.query(`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()`))[0].n);

  it('takes no lock and writes nothing to the chain or the outbox during the work; the event commits with the change', async () => {
    const during = await uow.run(async (tx) => {
      const { code, email } = await openMission(tx);
      return {
        code,
        email,
        locks: await advisoryLocksHeld(tx),
        auditRows: Number((await tx.manager.query(`SELECT count(*) AS n FROM audit_events WHERE entity_id = $1`, [code]))[0].n),
        mailRows: Number((await tx.manager.query(`SELECT count(*) AS n FROM email_messages WHERE recipient = $1`, [email]))[0].n),
      };
    });
    expect(during).toMatchObject({ locks: 0, auditRows: 0, mailRows: 0 });

    // The event committed with the change, waiting for the chain's seal (a worker's, or a reader's as here).
    expect(await db.query(`SELECT action FROM audit_pending WHERE entity_id = $1`, [during.code])).toEqual([{ action: 'mission.created' }]);
    await db.query(`SELECT audit_seal_pending()`);
    const [audit] = await db.query(`SELECT action FROM audit_events WHERE entity_id = $1`, [during.code]);
    expect(audit).toEqual({ action: 'mission.created' });
    const [mail] = await db.query(`SELECT id, status FROM email_messages WHERE recipient = $1`, [during.email]);
    expect(mail).toMatchObject({ status: 'queued' });
    const jobs = await db.query(`SELECT 1 FROM pgboss.job WHERE name = 'email.send' AND data->>'messageId' = $1`, [mail.id]);
    expect(jobs).toHaveLength(1);
  });

  onServer('lets another unit of work append to the chain while a long one is still working', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let slowCode = '';
    const slow = uow.run(async (tx) => {
      slowCode = (await openMission(tx)).code;
      await gate;
    });
    // While the slow one works (its audit entry asked for), a quick one commits its own entry.
    const quick = await uow.run(async (tx) => (await openMission(tx)).code);
    release();
    await slow;

    await db.query(`SELECT audit_seal_pending()`);
    const rows = (await db.query(`SELECT id, entity_id FROM audit_events WHERE entity_id = ANY($1) ORDER BY id`, [[quick, slowCode]])) as {
      entity_id: string;
    }[];
    expect(rows.map((r) => r.entity_id)).toEqual([quick, slowCode]);
    expect(await moduleRef.get(AuditService).verifyChain()).toMatchObject({ ok: true });
  });

  it('rolls back the work, the e-mail and the audit entry together when the work fails', async () => {
    let opened: { code: string; email: string } | undefined;
    await expect(
      uow.run(async (tx) => {
        opened = await openMission(tx);
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    await expectNothingOf(opened!);
  });

  it('rolls back the work and the audit entry when an e-mail cannot be rendered at the end', async () => {
    let opened: { code: string; email: string } | undefined;
    await expect(
      uow.run(async (tx) => {
        opened = await openMission(tx);
        tx.email({ to: opened.email, template: 'no-such-template', locale: 'en', context: {} });
      }),
    ).rejects.toThrow();
    await expectNothingOf(opened!);
  });

  async function expectNothingOf(opened: { code: string; email: string }): Promise<void> {
    expect(await db.query(`SELECT 1 FROM missions WHERE code = $1`, [opened.code])).toHaveLength(0);
    expect(await db.query(`SELECT 1 FROM audit_pending WHERE entity_id = $1`, [opened.code])).toHaveLength(0);
    expect(await db.query(`SELECT 1 FROM audit_events WHERE entity_id = $1`, [opened.code])).toHaveLength(0);
    expect(await db.query(`SELECT 1 FROM email_messages WHERE recipient = $1`, [opened.email])).toHaveLength(0);
  }
});
