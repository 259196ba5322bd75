// Asana error bodies: `{ errors: [{ message, help }] }`, and for server errors a `phrase` instead of
// `help` (https://developers.asana.com/docs/errors). The 429 of the standard limiter carries
// Retry-After in seconds (https://developers.asana.com/docs/rate-limits).

export const ASANA_ERRORS_HELP =
  'For more information on API status codes and how to handle them, read the docs on errors: https://developers.asana.com/docs/errors';

export interface AsanaErrorBody {
  errors: { message: string; help?: string; phrase?: string }[];
}

export class AsanaApiError extends Error {
  override name = 'AsanaApiError';
  readonly status: number;
  readonly messages: string[];

  constructor(status: number, messages: string | string[]) {
    const list = ([] as string[]).concat(messages);
    super(list.join('; '));
    this.status = status;
    this.messages = list;
  }

  toBody(): AsanaErrorBody {
    if (this.status >= 500) {
      // Asana gives server errors a memorable phrase to quote to support instead of a help link.
      return { errors: this.messages.map((message) => ({ message, phrase: '6 sad squid snuggle softly' })) };
    }
    return { errors: this.messages.map((message) => ({ message, help: ASANA_ERRORS_HELP })) };
  }
}

export const asanaErrors = {
  notAuthorized: () => new AsanaApiError(401, 'Not Authorized'),
  forbidden: () => new AsanaApiError(403, 'Forbidden'),
  unknownObject: (gid: string) => new AsanaApiError(404, `Unknown object: ${gid}`),
  noRoute: () => new AsanaApiError(404, 'No matching route for request'),
  invalid: (message: string | string[]) => new AsanaApiError(400, message),
  missingData: () => new AsanaApiError(400, 'data: Missing input'),
  invalidJson: () => new AsanaApiError(400, 'Could not parse request data, invalid JSON'),
  tooLarge: () => new AsanaApiError(413, 'Request entity too large'),
  rateLimited: () =>
    new AsanaApiError(
      429,
      "You've made too many requests and hit a rate limit. Please retry after the given amount of time.",
    ),
  server: (status: number) => new AsanaApiError(status, 'Server Error'),
};
