import { parentPort, workerData } from 'node:worker_threads';
import { EmbeddedPostgres } from './embedded-postgres';

/** Thread entry: runs the embedded PostgreSQL and answers the parent's stop request. */
EmbeddedPostgres.start(workerData as { dataDir?: string; port?: number }).then(
  (embedded) => {
    parentPort!.postMessage({ type: 'ready', url: embedded.url });
    parentPort!.on('message', (message: { type: string }) => {
      if (message.type !== 'stop') return;
      embedded
        .stop()
        .catch(() => undefined)
        .finally(() => parentPort!.postMessage({ type: 'stopped' }));
    });
  },
  (error: Error) => parentPort!.postMessage({ type: 'error', message: error.message }),
);
