import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EmbeddedPostgresOptions } from './embedded-postgres';

type WorkerMessage = { type: 'ready'; url: string } | { type: 'error'; message: string } | { type: 'dumped' } | { type: 'stopped' };

/**
 * The embedded PostgreSQL in a thread of its own: PGlite runs queries synchronously in WebAssembly, so on its
 * own thread it does not stall the API's event loop (and it loads outside any module sandbox, such as Jest's).
 */
export class EmbeddedPostgresThread {
  private constructor(
    private readonly worker: Worker,
    readonly url: string,
  ) {}

  static start(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresThread> {
    const fromSource = __filename.endsWith('.ts');
    const worker = new Worker(join(__dirname, `embedded-postgres.worker.${fromSource ? 'ts' : 'js'}`), {
      workerData: options,
      execArgv: fromSource ? ['--require', 'ts-node/register/transpile-only'] : [],
    });
    return new Promise((resolve, reject) => {
      const onMessage = (message: WorkerMessage) => {
        worker.off('error', reject);
        if (message.type === 'ready') resolve(new EmbeddedPostgresThread(worker, message.url));
        else if (message.type === 'error') {
          void worker.terminate();
          reject(new Error(`Embedded PostgreSQL did not start: ${message.message}`));
        }
      };
      worker.once('message', onMessage);
      worker.once('error', reject);
    });
  }

  /** Writes the cluster to a file that `start({ snapshot })` starts from; no client should be connected. */
  dump(path: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: WorkerMessage) => {
        if (message.type !== 'dumped' && message.type !== 'error') return;
        this.worker.off('message', onMessage);
        if (message.type === 'dumped') resolve();
        else reject(new Error(`Embedded PostgreSQL could not dump its data: ${message.message}`));
      };
      this.worker.on('message', onMessage);
      this.worker.postMessage({ type: 'dump', path });
    });
  }

  /** Closes client connections, checkpoints the data and ends the thread. */
  async stop(): Promise<void> {
    const stopped = new Promise<void>((resolve) => {
      this.worker.on('message', (message: WorkerMessage) => message.type === 'stopped' && resolve());
      this.worker.once('exit', () => resolve());
    });
    this.worker.postMessage({ type: 'stop' });
    await stopped;
    await this.worker.terminate();
  }
}
