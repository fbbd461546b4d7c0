import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { open, readFile } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { keyset, mapPage, Page, PageQuery, Paginator } from '../common/http/pagination';
import { JobQueue } from '../jobs/job-queue.service';
import { SigningKeyService } from '../signing/signing-key.service';
import { AuditCheckpoint } from './audit-checkpoint.entity';
import { CheckpointStatement, checkpointPayload, parseCheckpointLine } from './audit-checkpoint';
import { GENESIS_HASH } from './audit-chain';
import { checkpointView } from './audit-views';
import { AuditRepository } from './audit.repository';

/** Newest first: ids grow with every checkpoint. */
const NEWEST_FIRST = keyset<AuditCheckpoint>('audit-checkpoints', 'DESC', [{ property: 'c.id', type: 'bigint', of: (c) => c.id }]);

/** Where a checkpoint read back for verification came from. */
export type CheckpointSource = 'table' | 'file';

/** A checkpoint whose signature holds, with every place it was found. */
export interface TrustedCheckpoint extends CheckpointStatement {
  sources: CheckpointSource[];
}

/** A checkpoint that cannot be trusted or is missing where it should be. */
export interface CheckpointFinding {
  kind: 'forged_checkpoint' | 'unreadable_checkpoint' | 'checkpoint_missing_from_table';
  source: CheckpointSource;
  /** Where: `row <id>` of the table, or `line <n>` of the file. */
  at: string;
  checkpoint?: CheckpointStatement;
  detail: string;
}

/**
 * Signed checkpoints of the audit chain's head. Each is stored in the database and also written where the database
 * cannot rewrite it: a structured log line and an append-only JSON-lines file under DATA_DIR, which an operator ships
 * elsewhere. Verification reads both, so deleting or forging rows in the table is found too.
 */
@Injectable()
export class AuditCheckpointsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuditCheckpointsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly signing: SigningKeyService,
    private readonly config: AppConfig,
    private readonly jobs: JobQueue,
    private readonly pages: Paginator,
    private readonly events: AuditRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.work('audit.checkpoint', async () => {
      await this.checkpointIfMoved();
    });
    await this.jobs.schedule('audit.checkpoint', this.config.audit.checkpointCron, {}, 'UTC');
  }

  /** Signs the chain's head now, stores the checkpoint and writes its copies outside the database. */
  async create(): Promise<CheckpointStatement> {
    const head = await this.head();
    const signedAt = new Date().toISOString();
    const { kid, signature } = this.signing.sign(checkpointPayload({ ...head, signedAt }));
    const statement: CheckpointStatement = { ...head, signedAt, kid, signature };
    const repository = this.dataSource.getRepository(AuditCheckpoint);
    await repository.insert({ lastId: head.lastId, hash: head.hash, count: String(head.count), signedAt: new Date(signedAt), kid, signature });
    this.logger.log({ auditCheckpoint: statement }, 'Audit checkpoint signed');
    await this.appendToFile(statement);
    return statement;
  }

  /** The scheduled run: a checkpoint unless the newest one already names the head (so a retried job adds nothing). */
  async checkpointIfMoved(): Promise<CheckpointStatement | null> {
    const head = await this.head();
    const [latest] = await this.dataSource.getRepository(AuditCheckpoint).find({ order: { id: 'DESC' }, take: 1 });
    if (latest && latest.lastId === head.lastId && latest.hash === head.hash) return null;
    return this.create();
  }

  /** Newest first. */
  async list(query: PageQuery): Promise<Page<CheckpointStatement>> {
    const qb = this.dataSource.getRepository(AuditCheckpoint).createQueryBuilder('c');
    return mapPage(await this.pages.page(qb, NEWEST_FIRST, query), checkpointView);
  }

  /**
   * Every checkpoint from the table and from the file, each signature checked: the trusted ones ordered by the event
   * they name, and findings for forged or unreadable ones and for file entries whose row has gone from the table.
   */
  async forVerification(): Promise<{ trusted: TrustedCheckpoint[]; findings: CheckpointFinding[] }> {
    const findings: CheckpointFinding[] = [];
    const bySignature = new Map<string, TrustedCheckpoint>();
    const fileLineOf = new Map<string, string>();
    const accept = (statement: CheckpointStatement, source: CheckpointSource, at: string) => {
      if (!this.signing.verify(checkpointPayload(statement), statement.signature, statement.kid)) {
        findings.push({ kind: 'forged_checkpoint', source, at, checkpoint: statement, detail: 'The checkpoint’s signature does not verify' });
        return;
      }
      if (source === 'file' && !fileLineOf.has(statement.signature)) fileLineOf.set(statement.signature, at);
      const known = bySignature.get(statement.signature);
      if (known) known.sources.push(source);
      else bySignature.set(statement.signature, { ...statement, sources: [source] });
    };
    for (const row of await this.dataSource.getRepository(AuditCheckpoint).find({ order: { id: 'ASC' } })) {
      accept(checkpointView(row), 'table', `row ${row.id}`);
    }
    (await this.fileLines()).forEach((line, index) => {
      if (line.trim() === '') return;
      const statement = parseCheckpointLine(line);
      if (statement) accept(statement, 'file', `line ${index + 1}`);
      else findings.push({ kind: 'unreadable_checkpoint', source: 'file', at: `line ${index + 1}`, detail: 'The line is not a checkpoint' });
    });
    for (const checkpoint of bySignature.values()) {
      if (!checkpoint.sources.includes('table')) {
        findings.push({
          kind: 'checkpoint_missing_from_table',
          source: 'file',
          at: fileLineOf.get(checkpoint.signature) as string,
          checkpoint: withoutSources(checkpoint),
          detail: 'A signed checkpoint in the file has no row in the table: checkpoint rows were deleted',
        });
      }
    }
    const trusted = [...bySignature.values()].sort((a, b) => compareIds(a.lastId, b.lastId));
    return { trusted, findings };
  }

  /**
   * The newest event and how many there are up to it, after sealing the events still waiting. No lock is needed:
   * sealers extend the chain one at a time and an event's id is drawn inside that lock, so no event below a committed
   * head can still appear.
   */
  private async head(): Promise<Pick<CheckpointStatement, 'lastId' | 'hash' | 'count'>> {
    await this.events.sealAllPending(this.dataSource.manager);
    const [last] = (await this.dataSource.query(`SELECT id::text AS id, hash FROM audit_events ORDER BY id DESC LIMIT 1`)) as { id: string; hash: string }[];
    if (!last) return { lastId: '0', hash: GENESIS_HASH, count: 0 };
    const [{ count }] = (await this.dataSource.query(`SELECT count(*)::text AS count FROM audit_events WHERE id <= $1`, [last.id])) as { count: string }[];
    return { lastId: last.id, hash: last.hash, count: Number(count) };
  }

  private async appendToFile(statement: CheckpointStatement): Promise<void> {
    // O_APPEND: lines from several processes sharing DATA_DIR never overwrite each other; synced before we answer.
    const file = await open(this.config.audit.checkpointFile, 'a', 0o640);
    try {
      await file.write(`${JSON.stringify(statement)}\n`);
      await file.datasync();
    } finally {
      await file.close();
    }
  }

  private async fileLines(): Promise<string[]> {
    try {
      return (await readFile(this.config.audit.checkpointFile, 'utf8')).split('\n');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }
}

/** Orders decimal bigint ids without losing precision. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

function withoutSources({ sources: _sources, ...statement }: TrustedCheckpoint): CheckpointStatement {
  return statement;
}
