import type { ButtonHTMLAttributes } from 'react';
import { can, type Role } from './roles.ts';
import { useUser } from './user.ts';

type Variant = 'primary' | 'secondary' | 'danger' | 'link';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  /** Only render for users with at least this role (VIEWERs see no buttons they cannot use). */
  requires?: Role;
  busy?: boolean;
}

export function Button({
  variant = 'primary',
  requires,
  busy,
  disabled,
  className,
  type,
  children,
  ...rest
}: ButtonProps) {
  const user = useUser();
  if (requires && !can(user?.role, requires)) return null;
  return (
    <button
      type={type ?? 'button'}
      className={`button button--${variant}${className ? ` ${className}` : ''}`}
      aria-busy={busy || undefined}
      disabled={busy || disabled}
      {...rest}
    >
      {children}
    </button>
  );
}
