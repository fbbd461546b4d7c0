import { createServer, Server, Socket } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';

type QueuedMessage = {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
};

/** Frontend message types that end an extended-protocol exchange (Sync) or are self-contained (Query, Terminate). */
const EXCHANGE_END = new Set(['S', 'Q', 'X']);

/**
 * Serialises protocol messages from many client connections onto the single PGlite backend.
 *
 * pglite-socket's own queue switches connections between any two messages; node-postgres sends
 * Parse/Bind/Execute/Sync as separate messages, so two pooled connections could clobber each
 * other's unnamed statement. This queue keeps a connection's turn until its exchange ends
 * (Sync or a simple Query) and, as pglite-socket does, for the whole of an open transaction.
 */
export class ExchangeAwareQueue {
  private readonly queue: QueuedMessage[] = [];
  private processing = false;
  private owner: number | null = null;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.drain();
    });
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].handlerId === handlerId) this.queue.splice(i, 1)[0].reject(new Error('Connection closed'));
    }
  }

  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    this.owner = null;
    void this.drain();
  }

  private next(): QueuedMessage | undefined {
    if (this.owner === null) return this.queue.shift();
    const index = this.queue.findIndex((item) => item.handlerId === this.owner);
    return index === -1 ? undefined : this.queue.splice(index, 1)[0];
  }

  private async drain(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      for (let item = this.next(); item; item = this.next()) {
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item!.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item!.onData(data);
              },
            }),
          );
        } catch (error) {
          this.owner = null;
          item.reject(error);
          continue;
        }
        const type = String.fromCharCode(item.message[0]);
        const exchangeOpen = !EXCHANGE_END.has(type) && !isStartupMessage(item.message);
        this.owner = exchangeOpen || this.db.isInTransaction() ? item.handlerId : null;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }
}

/** A startup message has no type byte: length then protocol 3.0 (196608). */
function isStartupMessage(message: Uint8Array): boolean {
  return message.length >= 8 && new DataView(message.buffer, message.byteOffset).getInt32(4) === 196608;
}

export interface EmbeddedPostgresOptions {
  dataDir?: string;
  port?: number;
  snapshot?: string;
}

/**
 * PostgreSQL in-process: PGlite with its data under a folder, served on a loopback port through
 * pglite-socket so that TypeORM, pg and pg-boss use the same code path as against a real server.
 */
export class EmbeddedPostgres {
  private server?: Server;
  private readonly handlers = new Set<PGLiteSocketHandler>();

  private constructor(
    readonly db: PGlite,
    private readonly queue: ExchangeAwareQueue,
  ) {}

  /**
   * dataDir undefined keeps the database in memory (tests); `snapshot`, a file written by `dump()`, starts it
   * from that data instead of an empty cluster.
   */
  static async start(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
    const db = await PGlite.create({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.snapshot ? { loadDataDir: new Blob([readFileSync(options.snapshot)]) } : {}),
    });
    const embedded = new EmbeddedPostgres(db, new ExchangeAwareQueue(db));
    await embedded.listen(options.port ?? 0);
    return embedded;
  }

  get url(): string {
    const address = this.server?.address();
    if (!address || typeof address === 'string') throw new Error('Embedded PostgreSQL is not listening');
    return `postgresql://postgres:postgres@127.0.0.1:${address.port}/postgres?sslmode=disable`;
  }

  private listen(port: number): Promise<void> {
    this.server = createServer((socket: Socket) => {
      const handler = new PGLiteSocketHandler({
        queryQueue: this.queue as unknown as ConstructorParameters<typeof PGLiteSocketHandler>[0]['queryQueue'],
        closeOnDetach: true,
      });
      this.handlers.add(handler);
      const forget = () => this.handlers.delete(handler);
      handler.addEventListener('close', forget);
      handler.addEventListener('error', forget);
      handler.attach(socket).catch(() => socket.destroy());
    });
    return new Promise((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
  }

  /** Writes the whole cluster to `path` as an uncompressed tarball, for `start({ snapshot })`. */
  async dump(path: string): Promise<void> {
    const tarball = await this.db.dumpDataDir('none');
    writeFileSync(path, Buffer.from(await tarball.arrayBuffer()));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.handlers].map((handler) => handler.detach(true)));
    this.handlers.clear();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    if (!this.db.closed) await this.db.close();
  }
}
