// Builds a procedure context from an HTTP request: the session cookie becomes `user` (and the
// session whose CSRF token mutations must echo). Framework-free: the web app passes the headers in
// and gets Set-Cookie values out.
import { createContext, type Context, type ContextDeps } from './context.ts';
import { findSession, readCookie, SESSION_COOKIE } from './services/sessions.ts';

export interface RequestInfo {
  cookieHeader: string | null | undefined;
  csrfHeader: string | null | undefined;
  ip: string | null | undefined;
  setCookie: (header: string) => void;
}

export type RequestContextDeps = Omit<ContextDeps, 'user' | 'session' | 'csrfHeader' | 'ip' | 'setCookie'>;

export async function createRequestContext(deps: RequestContextDeps, request: RequestInfo): Promise<Context> {
  const token = readCookie(request.cookieHeader, SESSION_COOKIE);
  const active = token ? await findSession(deps.prisma, token) : null;
  return createContext({
    ...deps,
    user: active?.user ?? null,
    session: active ? { id: active.id, csrfToken: active.csrfToken } : null,
    csrfHeader: request.csrfHeader ?? null,
    ip: request.ip ?? null,
    setCookie: request.setCookie,
  });
}
