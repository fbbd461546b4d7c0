import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditEntry, AuditService } from '../../audit/audit.service';
import type { RowAudit } from '../../audit/row-audit';
import { EmailRequest, MailService } from '../../notifications/mail.service';
import { StatementPool, StatementRunner } from './statement-pool';

/**
 * One open transaction and what rides along with it: the audit entries and e-mails its work asks for. Repositories
 * take `tx.manager` as their first argument; services call `tx.audit()` and `tx.email()` (or a mailer that does).
 */
export class Transaction {
  readonly auditEntries: AuditEntry[] = [];
  readonly emails: EmailRequest[] = [];

  constructor(readonly manager: EntityManager) {}

  /** An audit entry, appended to the chain by the unit of work after the work and the e-mails, just before commit. */
  audit(entry: AuditEntry): void {
    this.auditEntries.push(entry);
  }

  /** An e-mail, recorded and enqueued in this transaction when the work is done: it is sent only if the work commits. */
  email(request: EmailRequest): void {
    this.emails.push(request);
  }
}

/**
 * The one way a service opens a transaction. The work runs first; then the e-mails are put in the outbox and the
 * audit entries are queued (a worker's AuditSealer links them into the chain after the commit). Work, e-mails and
 * audit entries commit or roll back together.
 */
@Injectable()
export class UnitOfWork {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly mail: MailService,
    private readonly statements: StatementPool,
  ) {}

  /** For reads outside any transaction: repositories take it where they would take `tx.manager`. */
  get reader(): EntityManager {
    return this.dataSource.manager;
  }

  /**
   * The audit entry of a `statement` that picks its row itself: the statement fills in the entity, the mission and
   * the details named in `rowDetails` from the row it changed (`RowAudit.insert`).
   */
  rowAudit(entry: Omit<AuditEntry, 'entityId' | 'missionCode'>, rowDetails: readonly string[] = []): RowAudit {
    return this.audit.forRow(entry, rowDetails);
  }

  /**
   * A change made by ONE statement that carries everything committing with it (its history rows, its audit entry
   * through `rowAudit`), prepared: it runs on a connection of the `StatementPool` outside any transaction and
   * commits on its own, one round trip where `run` takes four (BEGIN, the statement, the audit entry, COMMIT), planned
   * once per connection. For the hottest writes, made many at once (an officer's claim-next); a change with e-mails or
   * several statements uses `run`.
   */
  statement<T>(work: (db: StatementRunner) => Promise<T>): Promise<T> {
    return this.statements.run(work);
  }

  /**
   * `waitForFlush: false` commits without waiting for the write-ahead log to reach the disk (PostgreSQL's
   * synchronous_commit off, for this transaction only). The change is still atomic and consistent, audit entry
   * included, but a crash of the database server in the next fraction of a second may undo it. Only for changes
   * whose loss is harmless and that are made often under contention: an officer's claim on an application returns
   * it to the queue.
   */
  run<T>(work: (tx: Transaction) => Promise<T>, options: { waitForFlush?: boolean } = {}): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      if (options.waitForFlush === false) await manager.query(`SET LOCAL synchronous_commit = off`);
      const tx = new Transaction(manager);
      const result = await work(tx);
      for (const email of tx.emails) await this.mail.enqueue(manager, email);
      for (const entry of tx.auditEntries) await this.audit.record(manager, entry);
      return result;
    });
  }
}
