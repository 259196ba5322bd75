// The role table, one file per domain under test/roles/. Each file default-exports a function
// building its cases from the shared fixture; roles.test.ts loads every file in this folder and
// fails when a procedure of the router has no case at all.
import type { UserRole } from '@syncbridge/db';
import type { TestDatabase } from '@syncbridge/db/testing';
import type { AppCaller, SessionUser } from '../../src/index.ts';

export interface RoleFixture {
  db: TestDatabase;
  users: Record<UserRole, SessionUser>;
  /** A SMARTSHEET integration with one resource; nothing syncs it. */
  integrationId: string;
  resourceId: string;
}

export interface RoleCase {
  /** The procedure's path in the router, e.g. `integrations.list`. */
  path: string;
  /** Tells cases of the same procedure apart in the report. */
  label?: string;
  /** The lowest role allowed (higher roles are allowed too). */
  minimum: UserRole;
  call: (caller: AppCaller) => Promise<unknown>;
  /** What an allowed call ends with when not plain success, e.g. NOT_FOUND for an unknown id. */
  allowedOutcome?: string;
}

export type RoleCases = (fixture: RoleFixture) => RoleCase[];

/** Procedures anyone may call, signed in or not. */
export const PUBLIC_PROCEDURES = new Set(['health.check', 'auth.me', 'auth.signIn', 'auth.signOut']);
