// Google's OAuth 2.0 token endpoint, enough for google-auth-library to get access tokens from the
// sandbox: the refresh-token grant (installed/web apps) and the JWT-bearer grant (service
// accounts, RFC 7523, RS256-signed assertions verified against the account's key).
// https://developers.google.com/identity/protocols/oauth2/web-server#offline
// https://developers.google.com/identity/protocols/oauth2/service-account#httprest
import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import type { RequestHandler } from 'express';
import { systemClock, type Clock } from '../../sandbox-kit/clock.ts';

export const SPREADSHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets';
/** The audience Google requires in a service account's assertion (gtoken always uses it). */
export const GOOGLE_TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token';

const WRITE_SCOPES = [
  SPREADSHEETS_SCOPE,
  'https://www.googleapis.com/auth/drive',
  'https://www.googleapis.com/auth/drive.file',
];
const READ_SCOPES = [
  ...WRITE_SCOPES,
  `${SPREADSHEETS_SCOPE}.readonly`,
  'https://www.googleapis.com/auth/drive.readonly',
];

export interface OAuthClientConfig {
  clientId: string;
  clientSecret: string;
}

export interface RefreshTokenConfig {
  refreshToken: string;
  clientId: string;
  /** The Google account the token belongs to: its own per-user quota. */
  user: string;
  scopes?: string[];
}

export interface ServiceAccountConfig {
  clientEmail: string;
  /** PEM key: the public key, or the private key it derives from. */
  key: string;
}

export interface AccessTokenConfig {
  token: string;
  user: string;
  /** Null: every scope. */
  scopes?: string[] | null;
}

export interface SandboxOAuthOptions {
  /** Tokens accepted from the start: strings (the token is its own user) or { token, user, scopes }. */
  accessTokens?: (string | AccessTokenConfig)[];
  clients?: OAuthClientConfig[];
  refreshTokens?: RefreshTokenConfig[];
  serviceAccounts?: ServiceAccountConfig[];
  /** Lifetime of issued tokens (default 3599 s, as Google's). */
  accessTokenTtlSeconds?: number;
  clock?: Clock;
}

interface TokenGrant {
  user: string;
  scopes: string[] | null;
  expiresAt: number | null;
}

export interface SandboxOAuth {
  /** The grant behind a bearer token, or null when unknown, revoked or expired. */
  lookup(token: string): TokenGrant | null;
  /** True when the grant allows this kind of request. */
  allows(grant: TokenGrant, kind: 'read' | 'write'): boolean;
  addAccessToken(token: string | AccessTokenConfig): void;
  addClient(client: OAuthClientConfig): void;
  addRefreshToken(token: RefreshTokenConfig): void;
  addServiceAccount(account: ServiceAccountConfig): void;
  /** Revokes every access token the endpoint issued (configured ones stay), or only one user's. */
  revokeIssuedTokens(user?: string): void;
  revokeRefreshToken(refreshToken: string): void;
  /** Access tokens issued so far, per grant type. */
  readonly issued: { refresh_token: number; jwt_bearer: number };
  /** POST /token (application/x-www-form-urlencoded body already parsed). */
  readonly tokenHandler: RequestHandler;
}

class TokenError extends Error {
  readonly status: number;
  readonly error: string;
  readonly description: string;

  constructor(status: number, error: string, description: string) {
    super(description);
    this.status = status;
    this.error = error;
    this.description = description;
  }
}

function decodeSegment(segment: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  if (!parsed || typeof parsed !== 'object') throw new Error('not an object');
  return parsed as Record<string, unknown>;
}

export function createSandboxOAuth(options: SandboxOAuthOptions = {}): SandboxOAuth {
  const clock = options.clock ?? systemClock;
  const ttlSeconds = options.accessTokenTtlSeconds ?? 3599;
  const tokens = new Map<string, TokenGrant & { issued: boolean }>();
  const clients = new Map<string, string>();
  const refreshTokens = new Map<string, RefreshTokenConfig>();
  const accounts = new Map<string, KeyObject>();
  const issued = { refresh_token: 0, jwt_bearer: 0 };

  const handle: SandboxOAuth = {
    lookup(token) {
      const grant = tokens.get(token);
      if (!grant || (grant.expiresAt !== null && grant.expiresAt <= clock())) return null;
      return grant;
    },
    allows(grant, kind) {
      if (grant.scopes === null) return true;
      const needed = kind === 'read' ? READ_SCOPES : WRITE_SCOPES;
      return grant.scopes.some((scope) => needed.includes(scope));
    },
    addAccessToken(token) {
      const config = typeof token === 'string' ? { token, user: token } : token;
      tokens.set(config.token, { user: config.user, scopes: config.scopes ?? null, expiresAt: null, issued: false });
    },
    addClient: (client) => void clients.set(client.clientId, client.clientSecret),
    addRefreshToken: (token) => void refreshTokens.set(token.refreshToken, token),
    addServiceAccount: (account) => void accounts.set(account.clientEmail, createPublicKey(account.key)),
    revokeIssuedTokens(user) {
      for (const [token, grant] of tokens)
        if (grant.issued && (user === undefined || grant.user === user)) tokens.delete(token);
    },
    revokeRefreshToken: (refreshToken) => void refreshTokens.delete(refreshToken),
    issued,
    tokenHandler: (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      try {
        const grant = grantFor(body);
        const accessToken = `ya29.sandbox-${randomBytes(24).toString('base64url')}`;
        tokens.set(accessToken, { ...grant, expiresAt: clock() + ttlSeconds * 1000, issued: true });
        res.set('Cache-Control', 'no-cache, no-store, max-age=0, must-revalidate');
        res.json({
          access_token: accessToken,
          expires_in: ttlSeconds,
          ...(grant.scopes ? { scope: grant.scopes.join(' ') } : {}),
          token_type: 'Bearer',
        });
      } catch (error) {
        if (!(error instanceof TokenError)) throw error;
        res.status(error.status).json({ error: error.error, error_description: error.description });
      }
    },
  };

  function grantFor(body: Record<string, unknown>): TokenGrant {
    const grantType = typeof body.grant_type === 'string' ? body.grant_type : '';
    if (grantType === 'refresh_token') {
      const secret = clients.get(String(body.client_id ?? ''));
      if (secret === undefined) throw new TokenError(401, 'invalid_client', 'The OAuth client was not found.');
      if (secret !== body.client_secret) throw new TokenError(401, 'invalid_client', 'Unauthorized');
      const token = refreshTokens.get(String(body.refresh_token ?? ''));
      if (!token || token.clientId !== body.client_id)
        throw new TokenError(400, 'invalid_grant', 'Token has been expired or revoked.');
      issued.refresh_token += 1;
      return { user: token.user, scopes: token.scopes ?? [SPREADSHEETS_SCOPE], expiresAt: null };
    }
    if (grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      const grant = verifyAssertion(String(body.assertion ?? ''));
      issued.jwt_bearer += 1;
      return grant;
    }
    throw new TokenError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`);
  }

  function verifyAssertion(assertion: string): TokenGrant {
    const parts = assertion.split('.');
    if (parts.length !== 3) throw new TokenError(400, 'invalid_grant', 'Invalid JWT: Malformed.');
    const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = decodeSegment(headerPart);
      claims = decodeSegment(payloadPart);
    } catch {
      throw new TokenError(400, 'invalid_grant', 'Invalid JWT: Malformed.');
    }
    const key = accounts.get(String(claims.iss ?? ''));
    if (!key) throw new TokenError(400, 'invalid_grant', 'Invalid grant: account not found');
    const signed = Buffer.from(`${headerPart}.${payloadPart}`);
    const valid = header.alg === 'RS256' && verify('RSA-SHA256', signed, key, Buffer.from(signaturePart, 'base64url'));
    if (!valid) throw new TokenError(400, 'invalid_grant', 'Invalid JWT Signature.');
    if (claims.aud !== GOOGLE_TOKEN_AUDIENCE)
      throw new TokenError(400, 'invalid_grant', 'Invalid JWT: Failed audience check.');
    const now = Math.floor(clock() / 1000);
    const iat = Number(claims.iat);
    const exp = Number(claims.exp);
    if (!Number.isFinite(iat) || !Number.isFinite(exp) || exp - iat > 3600 || exp <= now || iat > now + 300) {
      throw new TokenError(
        400,
        'invalid_grant',
        'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
      );
    }
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
    if (scopes.length === 0)
      throw new TokenError(400, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
    // Domain-wide delegation (`sub`) acts as that user; otherwise the service account is the user.
    const user = typeof claims.sub === 'string' && claims.sub ? claims.sub : String(claims.iss);
    return { user, scopes, expiresAt: null };
  }

  for (const token of options.accessTokens ?? []) handle.addAccessToken(token);
  for (const client of options.clients ?? []) handle.addClient(client);
  for (const token of options.refreshTokens ?? []) handle.addRefreshToken(token);
  for (const account of options.serviceAccounts ?? []) handle.addServiceAccount(account);
  return handle;
}
