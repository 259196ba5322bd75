// Smartsheet error bodies `{ errorCode, message, refId }` with the HTTP status the API pairs with
// each code (https://developers.smartsheet.com/api/smartsheet/error-codes).
import type { Rng } from '../../sandbox-kit/rng.ts';

export interface SmartsheetErrorBody {
  errorCode: number;
  message: string;
  refId: string;
  detail?: unknown;
}

export class SmartsheetApiError extends Error {
  override name = 'SmartsheetApiError';
  readonly status: number;
  readonly errorCode: number;
  readonly detail?: unknown;

  constructor(status: number, errorCode: number, message: string, detail?: unknown) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
    this.detail = detail;
  }

  toBody(refId: string): SmartsheetErrorBody {
    const body: SmartsheetErrorBody = { errorCode: this.errorCode, message: this.message, refId };
    if (this.detail !== undefined) body.detail = this.detail;
    return body;
  }
}

/** A row-level failure: the same codes, reported per row (failedItems) or for the whole request. */
export interface RowFailure {
  errorCode: number;
  message: string;
}

export const apiErrors = {
  tokenRequired: () => new SmartsheetApiError(401, 1001, 'An Access Token is required.'),
  tokenInvalid: () => new SmartsheetApiError(401, 1002, 'Your Access Token is invalid.'),
  notAuthorized: () => new SmartsheetApiError(403, 1004, 'You are not authorized to perform this action.'),
  notFound: () => new SmartsheetApiError(404, 1006, 'Not Found.'),
  unparseable: (reason: string) =>
    new SmartsheetApiError(400, 1008, `Unable to parse request. The following error occurred: ${reason}`),
  missingAttribute: (name: string) =>
    new SmartsheetApiError(400, 1012, `Required object attribute(s) are missing from your request: ${name}.`),
  invalidParameter: (value: string, name: string) =>
    new SmartsheetApiError(400, 1018, `The value ${value} was not valid for the parameter ${name}.`),
  // The code for "more than 500 rows" is not confirmed; 1061 is the API's generic "max count" error.
  tooManyRows: (max: number) =>
    new SmartsheetApiError(400, 1061, `Max count exceeded for field rows (at most ${max} per request).`),
  scopeNotFound: (scope: string, id: unknown) =>
    new SmartsheetApiError(400, 1151, `Scope '${scope}', object id ${String(id)} was not found.`),
  rateLimited: () => new SmartsheetApiError(429, 4003, 'Rate limit exceeded.'),
  saveCollision: () =>
    new SmartsheetApiError(
      500,
      4004,
      'Request failed because sheet is currently being updated by another request that uses the same access token. ' +
        'Please retry your request once the previous request has completed.',
    ),
  unexpected: () =>
    new SmartsheetApiError(
      500,
      4000,
      'An unexpected error has occurred. Please contact api@smartsheet.com for assistance.',
    ),
  maintenance: () =>
    new SmartsheetApiError(
      503,
      4001,
      'Smartsheet.com is currently offline for system maintenance. Please check back again shortly.',
    ),
};

export const rowFailures = {
  invalidRowId: (): RowFailure => ({ errorCode: 1006, message: 'Not Found.' }),
  missingAttribute: (name: string): RowFailure => ({
    errorCode: 1012,
    message: `Required object attribute(s) are missing from your request: ${name}.`,
  }),
  invalidColumn: (columnId: unknown): RowFailure => ({
    errorCode: 1036,
    message: `The columnId ${String(columnId)} is invalid.`,
  }),
  duplicateColumn: (columnId: number): RowFailure => ({
    errorCode: 1037,
    message: `The columnId ${columnId} is included more than once in a single row.`,
  }),
  invalidValue: (): RowFailure => ({ errorCode: 1038, message: 'Invalid Cell value. Must be numeric or a string.' }),
  strictType: (columnId: number, value: unknown, type: string): RowFailure => ({
    errorCode: 1042,
    message: `The value for cell in column ${columnId}, ${String(value)}, did not conform to the strict requirements for type ${type}.`,
  }),
  duplicateRow: (): RowFailure => ({
    errorCode: 1137,
    message: 'Input collection contains multiple instances of the same element.',
  }),
};

/** refIds look like Smartsheet's: short lowercase alphanumerics. */
export function createRefIds(rng: Rng): () => string {
  return () => {
    let id = '';
    for (let i = 0; i < 12; i++) id += 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(rng() * 36)];
    return id;
  };
}
