export * from './contract.ts';
export { httpJson, parseRetryAfter, kindForStatus, classifyNetworkError } from './http.ts';
export type { HttpRequestOptions, HttpResponse } from './http.ts';
export { hmac, safeEqual, isFresh, headerValue } from './webhook-signature.ts';
export type { HmacAlgorithm } from './webhook-signature.ts';
export * from './mapping/index.ts';
export { createInDatabaseConnector, ZInDatabaseTarget, classifyPgError } from './in-database/index.ts';
export type { InDatabaseTarget, SqlExecutor, InDatabaseConnectorOptions } from './in-database/index.ts';
