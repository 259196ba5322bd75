import type { Database } from '@syncbridge/db';
import type { JobSender, KeyRing, Logger, OutboundPolicy } from '@syncbridge/engine';
import { DEFAULT_SESSION_TTL_MS, type SessionUser } from './services/sessions.ts';
import { DEFAULT_SIGN_IN_LIMIT, type SignInLimit } from './services/sign-in-throttle.ts';

export type { SessionUser } from './services/sessions.ts';

export interface AuthSettings {
  /** The cookies' Secure flag; off only for plain-http localhost. */
  secureCookies: boolean;
  sessionTtlMs: number;
  signInLimit: SignInLimit;
}

export const defaultAuthSettings: AuthSettings = {
  secureCookies: true,
  sessionTtlMs: DEFAULT_SESSION_TTL_MS,
  signInLimit: DEFAULT_SIGN_IN_LIMIT,
};

/** Present when the user was found through the session cookie (and only then is CSRF checked). */
export interface CookieSession {
  id: string;
  /** What the `x-csrf-token` header must carry for a mutation. */
  csrfToken: string;
}

/** What every procedure receives. Built per request by the HTTP adapter, or once by a script. */
export interface Context {
  prisma: Database['prisma'];
  pool: Database['pool'];
  logger: Logger;
  user: SessionUser | null;
  session: CookieSession | null;
  /** The request's `x-csrf-token` header. */
  csrfHeader: string | null;
  ip: string | null;
  /** Encrypts credentials and webhook secrets (ENCRYPTION_KEYS); null when none is configured. */
  keyRing: KeyRing | null;
  /** Queues sync jobs (a pg-boss instance used for sending); null when this process cannot. */
  sendJob: JobSender | null;
  /** Adds a Set-Cookie header to the response; null for in-process callers. */
  setCookie: ((header: string) => void) | null;
  auth: AuthSettings;
  /**
   * Which internal addresses an integration's base URL may point at (OUTBOUND_ALLOWLIST); base URLs
   * are checked against it when saved or tested. Null: not checked here (in-process scripts, tests);
   * the web server always passes one.
   */
  outbound: OutboundPolicy | null;
}

export interface ContextDeps {
  prisma: Database['prisma'];
  pool: Database['pool'];
  logger: Logger;
  user?: SessionUser | null;
  session?: CookieSession | null;
  csrfHeader?: string | null;
  ip?: string | null;
  keyRing?: KeyRing | null;
  sendJob?: JobSender | null;
  setCookie?: ((header: string) => void) | null;
  auth?: Partial<AuthSettings>;
  outbound?: OutboundPolicy | null;
}

export function createContext(deps: ContextDeps): Context {
  return {
    prisma: deps.prisma,
    pool: deps.pool,
    logger: deps.logger,
    user: deps.user ?? null,
    session: deps.session ?? null,
    csrfHeader: deps.csrfHeader ?? null,
    ip: deps.ip ?? null,
    keyRing: deps.keyRing ?? null,
    sendJob: deps.sendJob ?? null,
    setCookie: deps.setCookie ?? null,
    auth: { ...defaultAuthSettings, ...deps.auth },
    outbound: deps.outbound ?? null,
  };
}
