import { parentPort, workerData } from 'node:worker_threads';
import { EmbeddedPostgres, EmbeddedPostgresOptions } from './embedded-postgres';

/** Thread entry: runs the embedded PostgreSQL and answers the parent's dump and stop requests. */
EmbeddedPostgres.start(workerData as EmbeddedPostgresOptions).then(
  (embedded) => {
    parentPort!.postMessage({ type: 'ready', url: embedded.url });
    parentPort!.on('message', (message: { type: string; path?: string }) => {
      if (message.type === 'dump') {
        embedded.dump(message.path!).then(
          () => parentPort!.postMessage({ type: 'dumped' }),
          (error: Error) => parentPort!.postMessage({ type: 'error', message: error.message }),
        );
        return;
      }
      if (message.type !== 'stop') return;
      embedded
        .stop()
        .catch(() => undefined)
        .finally(() => parentPort!.postMessage({ type: 'stopped' }));
    });
  },
  (error: Error) => parentPort!.postMessage({ type: 'error', message: error.message }),
);
