export { createLogger, sanitizeForLog, redactPaths } from './logger.ts';
export type { Logger, CreateLoggerOptions } from './logger.ts';
export { AppError, httpStatusForCode } from './errors.ts';
export type { AppErrorCode } from './errors.ts';
