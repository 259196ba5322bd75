import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@syncbridge/engine';

/** A logger whose lines stay in memory, so a test can check what the worker logged. */
export function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  return { logger: createLogger({ name: 'worker-test', level: 'debug', destination }), lines };
}
