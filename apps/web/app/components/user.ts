import { useRouteLoaderData } from '@remix-run/react';
import type { Role } from './roles.ts';

export interface CurrentUser {
  id: string;
  email: string;
  role: Role;
}

/** What the root loader hands every page (see root.tsx). */
export interface RootData {
  user: CurrentUser | null;
  csrfToken: string | null;
  /** The server's clock when the page was rendered: the first render's "now" (RelativeTime). */
  renderedAt: Date;
}

/** The root loader's data; undefined only while an error page renders without it. */
export function useRootData(): RootData | undefined {
  return useRouteLoaderData<RootData>('root') ?? undefined;
}

/** The signed-in user (null when signed out). */
export function useUser(): CurrentUser | null {
  return useRootData()?.user ?? null;
}
