// HubSpot error bodies: `{ status: 'error', message, correlationId, category, subCategory?,
// errors?, context? }` (https://developers.hubspot.com/docs/api-reference/error-handling), and the
// 429 of the ten-secondly limit `{ status, message, errorType: 'RATE_LIMIT', correlationId,
// policyName: 'TEN_SECONDLY_ROLLING' }`.
import type { Rng } from '../../sandbox-kit/rng.ts';

export interface HubSpotErrorDetail {
  message: string;
  code?: string;
  in?: string;
  context?: Record<string, string[]>;
}

export interface HubSpotErrorBody {
  status: 'error';
  message: string;
  correlationId: string;
  category: string;
  subCategory?: string;
  errors?: HubSpotErrorDetail[];
  context?: Record<string, string[]>;
  errorType?: string;
  policyName?: string;
}

export class HubSpotApiError extends Error {
  override name = 'HubSpotApiError';
  readonly status: number;
  readonly category: string;
  readonly errors?: HubSpotErrorDetail[];
  readonly context?: Record<string, string[]>;
  readonly extra: Record<string, string>;

  constructor(
    status: number,
    category: string,
    message: string,
    details: { errors?: HubSpotErrorDetail[]; context?: Record<string, string[]>; extra?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = status;
    this.category = category;
    this.errors = details.errors;
    this.context = details.context;
    this.extra = details.extra ?? {};
  }

  toBody(correlationId: string): HubSpotErrorBody {
    const body: HubSpotErrorBody = {
      status: 'error',
      message: this.message,
      correlationId,
      category: this.category,
      ...this.extra,
    };
    if (this.errors) body.errors = this.errors;
    if (this.context) body.context = this.context;
    return body;
  }
}

/** A failed property value, in the shape HubSpot embeds in VALIDATION_ERROR messages. */
export interface PropertyProblem {
  name: string;
  error: string;
  message: string;
}

export const apiErrors = {
  noCredentials: () =>
    new HubSpotApiError(
      401,
      'INVALID_AUTHENTICATION',
      'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
    ),
  badToken: () =>
    new HubSpotApiError(
      401,
      'INVALID_AUTHENTICATION',
      'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
    ),
  missingScopes: (scope: string) =>
    new HubSpotApiError(
      403,
      'MISSING_SCOPES',
      "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
      {
        errors: [
          {
            message: `One or more of the following scopes are required.`,
            context: { requiredGranularScopes: [scope] },
          },
        ],
      },
    ),
  notFound: () => new HubSpotApiError(404, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.'),
  routeNotFound: () => new HubSpotApiError(404, 'RESOURCE_NOT_FOUND', 'Resource not found'),
  invalidJson: () =>
    new HubSpotApiError(400, 'VALIDATION_ERROR', 'Invalid input JSON on line 1, column 1: Cannot build request body'),
  tooManyInputs: (max: number, got: number) =>
    new HubSpotApiError(400, 'VALIDATION_ERROR', `Batch input exceeds the maximum of ${max} inputs (got ${got}).`, {
      errors: [{ message: `size must be between 1 and ${max}`, in: 'inputs' }],
    }),
  invalidInput: (message: string, inName?: string) =>
    new HubSpotApiError(400, 'VALIDATION_ERROR', message, inName ? { errors: [{ message, in: inName }] } : {}),
  invalidProperties: (problems: PropertyProblem[], inputIndex?: number) =>
    new HubSpotApiError(
      400,
      'VALIDATION_ERROR',
      `Property values were not valid: ${JSON.stringify(problems.map((problem) => ({ isValid: false, ...problem, localizedErrorMessage: problem.message })))}`,
      {
        errors: problems.map((problem) => ({
          message: problem.message,
          code: problem.error,
          in: problem.name,
          context: {
            propertyName: [problem.name],
            ...(inputIndex === undefined ? {} : { inputIndex: [String(inputIndex)] }),
          } as Record<string, string[]>,
        })),
      },
    ),
  contactExists: (email: string, existingId: string) =>
    new HubSpotApiError(409, 'CONFLICT', `Contact already exists. Existing ID: ${existingId}`, {
      errors: [
        {
          message: `A contact with email ${email} already exists. Existing ID: ${existingId}`,
          in: 'email',
          code: 'CONTACT_EXISTS',
        },
      ],
      extra: { error: 'CONTACT_EXISTS' },
    }),
  duplicateInBatch: (what: string) =>
    new HubSpotApiError(400, 'VALIDATION_ERROR', `Duplicate ${what} found in batch input`),
  searchTooDeep: (max: number) =>
    new HubSpotApiError(
      400,
      'VALIDATION_ERROR',
      `There was a problem with the request. Paging beyond ${max} results is not supported.`,
    ),
  internal: (status: number) => new HubSpotApiError(status, 'INTERNAL_ERROR', 'internal error', {}),
  rateLimited: () =>
    new HubSpotApiError(429, 'RATE_LIMITS', 'You have reached your ten_secondly_rolling limit.', {
      extra: { errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' },
    }),
};

/** A per-input failure inside a 207 batch response (no HTTP status of its own). */
export function notFoundIds(objectType: string, ids: string[]) {
  return {
    status: 'error' as const,
    category: 'OBJECT_NOT_FOUND',
    message: `Could not get some ${objectType.replace(/s$/, '').toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
    context: { ids },
  };
}

/** correlationIds are UUIDs. */
export function createCorrelationIds(rng: Rng): () => string {
  const hex = () => Math.floor(rng() * 16).toString(16);
  const part = (n: number) => Array.from({ length: n }, hex).join('');
  return () => `${part(8)}-${part(4)}-4${part(3)}-a${part(3)}-${part(12)}`;
}
