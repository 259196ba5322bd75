// OAuth2 for declarative connectors: client credentials or a refresh token exchanged at the
// definition's token endpoint. Tokens live in memory only; a rotated refresh token (and each new
// access token) is handed to `onTokens` so the engine can store it encrypted. Refreshes are
// single-flight: concurrent requests wait for the same exchange.
// RFC 6749 §4.4 (client credentials) and §6 (refreshing an access token).
import { ConnectorRequestError } from '../contract.ts';
import { kindForStatus, parseRetryAfter } from '../http.ts';
import type { OAuth2Definition } from './definition.ts';
import { lookup, interpolate, type TemplateContext } from './template.ts';

export interface OAuthTokens {
  accessToken: string;
  /** Present when the grant uses one; the newest (rotated) value. */
  refreshToken: string | null;
  /** ISO time the access token expires, when the endpoint said. */
  expiresAt: string | null;
  instanceUrl: string | null;
}

export interface OAuth2SessionOptions {
  definition: OAuth2Definition;
  credentials: Record<string, unknown>;
  settings: Record<string, unknown>;
  timeoutMs: number;
  onTokens?: (tokens: OAuthTokens) => void | Promise<void>;
  /** Secrets learnt at run time (new tokens) are registered for redaction. */
  remember: (secret: string) => void;
  redact: (text: string) => string;
  now?: () => number;
}

const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : null);

export class OAuth2Session {
  private accessToken: string | null;
  private refreshToken: string | null;
  private expiresAt: number | null;
  private instanceUrl: string | null = null;
  private inflight: Promise<string> | null = null;
  /** Token exchanges made (tests and metrics). */
  exchanges = 0;

  constructor(private readonly options: OAuth2SessionOptions) {
    const { credentials } = options;
    this.accessToken = text(credentials.accessToken);
    this.refreshToken = text(credentials.refreshToken);
    const expires = text(credentials.expiresAt) ? Date.parse(String(credentials.expiresAt)) : NaN;
    this.expiresAt = Number.isNaN(expires) ? null : expires;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** The instance base URL the token endpoint named (Salesforce), if any. */
  get instanceBase(): string | null {
    const config = this.options.definition.instanceUrl;
    return this.instanceUrl && config ? `${this.instanceUrl.replace(/\/+$/, '')}${config.apiPath}` : null;
  }

  /** A usable access token, exchanging for a new one when missing or about to expire. */
  async token(): Promise<string> {
    const margin = this.options.definition.refreshMarginMs;
    if (this.accessToken && (this.expiresAt === null || this.now() < this.expiresAt - margin)) return this.accessToken;
    return this.exchange();
  }

  /** After a 401 with `used`: a new token (unless another request already replaced it). */
  async afterUnauthorized(used: string): Promise<string> {
    if (this.accessToken && this.accessToken !== used) return this.accessToken;
    this.accessToken = null;
    return this.exchange();
  }

  private exchange(): Promise<string> {
    this.inflight ??= this.request().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async request(): Promise<string> {
    const { definition, credentials, settings } = this.options;
    const context: TemplateContext = { settings, credentials: {} };
    const url = interpolate(definition.tokenUrl, context);
    const clientId = text(credentials.clientId);
    const clientSecret = text(credentials.clientSecret);
    const form = new URLSearchParams({ grant_type: definition.grant });
    if (definition.grant === 'refresh_token') {
      if (!this.refreshToken) throw this.fail('auth', 'no refresh token in the credentials');
      form.set('refresh_token', this.refreshToken);
    }
    if (definition.scopes.length > 0) form.set('scope', definition.scopes.join(' '));
    const headers: Record<string, string> = {
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
    };
    if (definition.clientAuth === 'basic' && clientId) {
      headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret ?? '')}`).toString('base64')}`;
    } else {
      if (clientId) form.set('client_id', clientId);
      if (clientSecret) form.set('client_secret', clientSecret);
    }
    this.exchanges++;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers,
        body: form.toString(),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw this.fail('retryable', `network error: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    const raw = await response.text().catch(() => '');
    let body: unknown = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = null;
    }
    if (!response.ok) {
      // RFC 6749 §5.2: { error, error_description }. invalid_grant means the refresh token is dead.
      const code = text(lookup({ body }, 'body.error'));
      const description = text(lookup({ body }, 'body.error_description'));
      const kind = kindForStatus(response.status === 400 ? 401 : response.status);
      throw this.fail(
        kind,
        `HTTP ${response.status}${code ? ` ${code}` : ''}${description ? `: ${description}` : ''}`,
        {
          status: response.status,
          code: code ?? undefined,
          retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
        },
      );
    }
    const accessToken = text(lookup({ body }, `body.${definition.accessTokenPath}`));
    if (!accessToken) throw this.fail('invalid', 'token response has no access token');
    this.options.remember(accessToken);
    const expiresIn = Number(lookup({ body }, `body.${definition.expiresInPath}`));
    this.accessToken = accessToken;
    this.expiresAt = Number.isFinite(expiresIn) && expiresIn > 0 ? this.now() + expiresIn * 1000 : null;
    const rotated = text(lookup({ body }, `body.${definition.refreshTokenPath}`));
    if (rotated) {
      this.options.remember(rotated);
      this.refreshToken = rotated;
    }
    if (definition.instanceUrl) this.instanceUrl = text(lookup({ body }, `body.${definition.instanceUrl.path}`));
    try {
      await this.options.onTokens?.({
        accessToken,
        refreshToken: this.refreshToken,
        expiresAt: this.expiresAt === null ? null : new Date(this.expiresAt).toISOString(),
        instanceUrl: this.instanceUrl,
      });
    } catch {
      // Storing the tokens is the engine's business; a failure there must not fail this request.
    }
    return accessToken;
  }

  private fail(
    kind: ConnectorRequestError['kind'],
    message: string,
    extra: { status?: number; code?: string; retryAfterMs?: number; cause?: unknown } = {},
  ): ConnectorRequestError {
    const { cause, ...rest } = extra;
    return new ConnectorRequestError(
      { kind, message: this.options.redact(`token request failed: ${message}`), ...rest },
      { cause },
    );
  }
}
