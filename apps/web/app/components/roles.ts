// Role gating in the UI. The server checks every procedure anyway; this only keeps people from
// seeing buttons they cannot use. Same ranks as packages/api (higher roles can do what lower can).
export type Role = 'ADMIN' | 'STAFF' | 'VIEWER';

const ROLE_RANK: Record<Role, number> = { VIEWER: 1, STAFF: 2, ADMIN: 3 };

/** True when `role` is at least `minimum`: `can(user.role, 'STAFF')`. */
export function can(role: Role | null | undefined, minimum: Role): boolean {
  return role ? ROLE_RANK[role] >= ROLE_RANK[minimum] : false;
}

export const roleLabels: Record<Role, string> = { ADMIN: 'Admin', STAFF: 'Staff', VIEWER: 'Viewer' };
