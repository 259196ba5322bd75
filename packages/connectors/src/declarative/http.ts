// Sends one request of a declarative definition: base URL, auth (headers, query keys, Basic,
// OAuth2 with one refresh-and-retry on a 401), the vendor's error shape classified into the
// engine's kinds (429 / rate-limit codes with their wait, auth, retryable, invalid). Credentials
// never appear in an error message: every known secret is redacted from what is reported.
import { ConnectorRequestError, type ConnectorError, type ErrorKind } from '../contract.ts';
import { kindForStatus, parseRetryAfter } from '../http.ts';
import type { DeclarativeDefinition } from './definition.ts';
import { OAuth2Session, type OAuthTokens } from './oauth2.ts';
import { interpolate, lookup, renderParams, type TemplateContext } from './template.ts';

export interface ApiRequest {
  /** What the request is for ('list', 'create', …): error messages name it, never the URL. */
  op: string;
  method: string;
  /** A path below the base URL, or an absolute URL on the same origin (next-page links). */
  url: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface DeclarativeClientOptions {
  definition: DeclarativeDefinition;
  baseUrl: string;
  credentials: Record<string, unknown>;
  settings: Record<string, unknown>;
  timeoutMs: number;
  onTokens?: (tokens: OAuthTokens) => void | Promise<void>;
}

export class DeclarativeClient {
  private readonly secrets = new Set<string>();
  readonly oauth: OAuth2Session | null;

  constructor(private readonly options: DeclarativeClientOptions) {
    for (const value of Object.values(options.credentials)) if (typeof value === 'string') this.remember(value);
    const { auth } = options.definition;
    this.oauth =
      auth.type === 'oauth2'
        ? new OAuth2Session({
            definition: auth,
            credentials: options.credentials,
            settings: options.settings,
            timeoutMs: options.timeoutMs,
            onTokens: options.onTokens,
            remember: (secret) => this.remember(secret),
            redact: (text) => this.redact(text),
          })
        : null;
  }

  private remember(secret: string): void {
    if (secret.length >= 4) {
      this.secrets.add(secret);
      this.secrets.add(encodeURIComponent(secret));
    }
  }

  /** Removes every known secret from a text that may be shown to a person or logged. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join('[redacted]');
    return out;
  }

  get baseUrl(): string {
    return (this.oauth?.instanceBase ?? this.options.baseUrl).replace(/\/+$/, '');
  }

  private resolve(url: string): URL {
    if (/^https?:\/\//i.test(url)) {
      const target = new URL(url);
      // Auth travels with every request: never to a host the integration was not pointed at.
      if (target.origin !== new URL(this.baseUrl).origin) {
        throw new ConnectorRequestError({ kind: 'invalid', message: 'refusing to follow a link to another host' });
      }
      return target;
    }
    // Paths that already carry the base path (Salesforce's nextRecordsUrl) resolve from the origin.
    const base = new URL(this.baseUrl);
    if (url.startsWith('/') && base.pathname.length > 1 && url.startsWith(base.pathname))
      return new URL(url, base.origin);
    return new URL(`${this.baseUrl}${url.startsWith('/') || url === '' ? '' : '/'}${url}`);
  }

  private authContext(): TemplateContext {
    return { credentials: this.options.credentials, settings: this.options.settings };
  }

  private async authorize(url: URL, headers: Record<string, string>): Promise<string | null> {
    const { auth } = this.options.definition;
    switch (auth.type) {
      case 'none':
        return null;
      case 'bearer':
        headers[auth.header.toLowerCase()] = `${auth.prefix}${String(this.options.credentials[auth.credential] ?? '')}`;
        return null;
      case 'api_key': {
        const context = this.authContext();
        for (const [name, value] of Object.entries(renderParams(auth.headers, context)))
          headers[name.toLowerCase()] = value;
        for (const [name, value] of Object.entries(renderParams(auth.query, context)))
          url.searchParams.set(name, value);
        return null;
      }
      case 'basic': {
        const context = this.authContext();
        const pair = `${interpolate(auth.username, context)}:${interpolate(auth.password, context)}`;
        headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
        return null;
      }
      case 'oauth2': {
        const token = await (this.oauth as OAuth2Session).token();
        headers[auth.header.toLowerCase()] = `${auth.prefix}${token}`;
        return token;
      }
    }
  }

  async send(request: ApiRequest): Promise<ApiResponse> {
    const first = await this.attempt(request);
    if (first.status === 401 && this.oauth && first.token) {
      // One refresh and one retry: a second 401 is a real auth failure, not a loop.
      await this.oauth.afterUnauthorized(first.token);
      const second = await this.attempt(request);
      return this.check(request, second.response);
    }
    return this.check(request, first.response);
  }

  private async attempt(request: ApiRequest): Promise<{ response: ApiResponse; token: string | null; status: number }> {
    const { definition, settings } = this.options;
    const url = this.resolve(request.url);
    for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
    const headers: Record<string, string> = { accept: 'application/json' };
    for (const [name, value] of Object.entries(renderParams(definition.headers, { settings })))
      headers[name.toLowerCase()] = value;
    for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
    const token = await this.authorize(url, headers);
    let body: string | undefined;
    if (request.body !== undefined) {
      body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
      headers['content-type'] ??= 'application/json';
    }
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await fetch(url, { method: request.method, headers, body, signal });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      throw new ConnectorRequestError(
        { kind: 'retryable', message: this.redact(`${request.op}: network error: ${message}${cause}`) },
        { cause: error },
      );
    }
    const raw = await response.text().catch(() => '');
    let parsed: unknown = raw;
    if (raw) {
      try {
        parsed = JSON.parse(raw);
      } catch {
        parsed = raw;
      }
    } else parsed = null;
    return {
      response: { status: response.status, headers: response.headers, body: parsed },
      token,
      status: response.status,
    };
  }

  private check(request: ApiRequest, response: ApiResponse): ApiResponse {
    const { errors } = this.options.definition;
    if (response.status >= 200 && response.status < 300) {
      const bodyErrors = errors.bodyErrorsPath
        ? lookup({ body: response.body }, `body.${errors.bodyErrorsPath}`)
        : null;
      if (Array.isArray(bodyErrors) && bodyErrors.length > 0) throw this.error(request, response, bodyErrors[0]);
      return response;
    }
    throw this.error(request, response, response.body);
  }

  /** Classifies a failed response (or a GraphQL error entry inside a 200). */
  error(request: ApiRequest, response: ApiResponse, detail: unknown): ConnectorRequestError {
    return new ConnectorRequestError(this.classify(request.op, response, detail));
  }

  private classify(op: string, response: ApiResponse, detail: unknown): ConnectorError {
    const { errors } = this.options.definition;
    const first = Array.isArray(detail) ? detail[0] : detail;
    const pick = (path: string | undefined, fallbacks: string[]) => {
      for (const candidate of path ? [path, ...fallbacks] : fallbacks) {
        const value = lookup({ detail }, `detail.${candidate}`) ?? lookup({ first }, `first.${candidate}`);
        if (typeof value === 'string' || typeof value === 'number') return value;
      }
      return undefined;
    };
    const code = pick(errors.codePath, ['errorCode', 'code', 'extensions.code', 'error_code', 'ECODE', 'error']);
    let message = pick(errors.messagePath, ['message', 'error_description', 'err', 'error', 'detail']);
    if (message === undefined && typeof detail === 'string') message = detail;
    const codeText = code === undefined ? undefined : String(code);
    let kind: ErrorKind;
    if (errors.rateLimitStatuses.includes(response.status) || (codeText && errors.rateLimitCodes.includes(codeText)))
      kind = 'rate_limited';
    else if (response.status >= 200 && response.status < 300) kind = 'invalid';
    else kind = kindForStatus(response.status);
    const text = String(message ?? '').slice(0, 300);
    return {
      kind,
      status: response.status,
      code: code,
      message: this.redact(`${op}: HTTP ${response.status}${codeText ? ` ${codeText}` : ''}${text ? `: ${text}` : ''}`),
      retryAfterMs: kind === 'rate_limited' ? this.retryAfter(response) : undefined,
    };
  }

  private retryAfter(response: ApiResponse): number | undefined {
    const { retryAfter } = this.options.definition.errors;
    const now = Date.now();
    const standard = parseRetryAfter(response.headers.get('retry-after'), now);
    if (standard !== undefined) return standard;
    // Vendors that announce the reset time instead (ClickUp's X-RateLimit-Reset, epoch seconds).
    const custom = retryAfter.header.toLowerCase() === 'retry-after' ? null : response.headers.get(retryAfter.header);
    const value = custom === null ? NaN : Number(custom);
    if (Number.isFinite(value)) {
      if (retryAfter.format === 'epoch-seconds') return Math.max(0, value * 1000 - now);
      if (retryAfter.format === 'epoch-ms') return Math.max(0, value - now);
      return Math.max(0, Math.round(value * 1000));
    }
    if (retryAfter.bodyPath) {
      const seconds = Number(lookup({ body: response.body }, `body.${retryAfter.bodyPath}`));
      if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
    }
    return undefined;
  }
}
