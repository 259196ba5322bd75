// Webflow error bodies `{ code, message, externalReference, details }` with the HTTP status the API
// pairs with each code (https://developers.webflow.com/data/reference/rest-introduction#errors and
// the SDK's ErrorCode enum). Bulk requests are all or nothing: `details` names the offending items
// as `items[i].…`, so a client can tell which ones to drop.

export interface WebflowErrorDetail {
  param: string;
  description: string;
}

export interface WebflowErrorBodyShape {
  code: string;
  message: string;
  externalReference: string | null;
  details: WebflowErrorDetail[];
}

export class WebflowApiError extends Error {
  override name = 'WebflowApiError';
  readonly status: number;
  readonly code: string;
  readonly details: WebflowErrorDetail[];

  constructor(status: number, code: string, message: string, details: WebflowErrorDetail[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  toBody(): WebflowErrorBodyShape {
    return { code: this.code, message: this.message, externalReference: null, details: this.details };
  }
}

export const webflowErrors = {
  notAuthorized: () => new WebflowApiError(401, 'not_authorized', 'Request not authorized'),
  missingScopes: (scope: string) =>
    new WebflowApiError(403, 'missing_scopes', `OAuthForbidden: You are missing the following scopes - ${scope}`),
  routeNotFound: () => new WebflowApiError(404, 'route_not_found', 'Requested route not found'),
  collectionNotFound: () => new WebflowApiError(404, 'resource_not_found', 'Requested resource not found'),
  itemNotFound: (details: WebflowErrorDetail[] = []) =>
    new WebflowApiError(404, 'resource_not_found', 'Requested resource not found', details),
  validation: (details: WebflowErrorDetail[], message = 'Validation Error') =>
    new WebflowApiError(400, 'validation_error', message, details),
  badRequest: (message: string, details: WebflowErrorDetail[] = []) =>
    new WebflowApiError(400, 'bad_request', message, details),
  tooManyItems: (max: number) =>
    new WebflowApiError(400, 'validation_error', 'Validation Error', [
      { param: 'items', description: `Too many items: at most ${max} per request` },
    ]),
  tooManyRequests: () => new WebflowApiError(429, 'too_many_requests', 'Too many requests'),
  internal: (status = 500) => new WebflowApiError(status, 'internal_error', 'An internal error occurred'),
};
