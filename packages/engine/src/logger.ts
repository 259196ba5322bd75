import { pino, type Level, type Logger, type LoggerOptions } from 'pino';
import { logTapStream } from './log-tap.ts';

export type { Logger } from 'pino';

/**
 * Field names whose values never reach a log line (OWASP Logging): credentials, tokens, secrets,
 * cookies and connection strings, at the top level and one or two levels down.
 */
const SECRET_KEYS = [
  'password',
  'passwordHash',
  'secret',
  'webhookSecret',
  'clientSecret',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'api_key',
  'authorization',
  'Authorization',
  'cookie',
  'credentials',
  'connectionString',
  'databaseUrl',
  'DATABASE_URL',
  'privateKey',
  'private_key',
];

export const redactPaths = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hub-signature"]',
  'res.headers["set-cookie"]',
];

export interface CreateLoggerOptions {
  name: string;
  level?: LoggerOptions['level'];
  /** Where lines go; defaults to stdout. Tests pass a stream to inspect what was logged. */
  destination?: pino.DestinationStream;
}

/** Structured JSON logs with secrets redacted; one root logger per process, children per module. */
export function createLogger(options: CreateLoggerOptions): Logger {
  const config: LoggerOptions = {
    name: options.name,
    level: options.level ?? 'info',
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: { service: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  const tap = logTapStream();
  if (tap) return tappedLogger(config, options.destination, tap);
  return options.destination ? pino(config, options.destination) : pino(config);
}

/**
 * Under a test run (log-tap.ts) every line down to debug also goes to the run's tap file, even from
 * a logger the test made silent, so the end-of-run check sees what production would log; the
 * logger's own destination still gets only its configured level.
 */
function tappedLogger(
  config: LoggerOptions,
  destination: pino.DestinationStream | undefined,
  tap: pino.DestinationStream,
): Logger {
  const level = String(config.level);
  const tapLevel: Level = level === 'trace' ? 'trace' : 'debug';
  const streams: pino.StreamEntry[] = [{ level: tapLevel, stream: tap }];
  if (level !== 'silent') streams.push({ level: level as Level, stream: destination ?? pino.destination(1) });
  return pino({ ...config, level: tapLevel }, pino.multistream(streams));
}

/** Strips CR/LF so logged user input cannot forge log lines. */
export function sanitizeForLog(value: string): string {
  return value.replace(/[\r\n]+/g, ' ');
}
