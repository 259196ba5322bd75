import { useRef, useState, type FormEvent } from 'react';
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { Button } from '../components/Button.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { ErrorState } from '../components/ErrorState.tsx';
import { RelativeTime } from '../components/RelativeTime.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { roleLabels, type Role } from '../components/roles.ts';
import { requireRole } from '../auth.server.ts';
import { trpc, type RouterInputs, type RouterOutputs } from '../trpc.ts';

export const meta: MetaFunction = () => [{ title: 'Users · Syncbridge' }];

// Admins only: anyone else gets the 403 page from the root error boundary.
export async function loader({ context }: LoaderFunctionArgs) {
  await requireRole(context, 'ADMIN');
  return { users: await context.trpc.users.list(), loadedAt: Date.now() };
}

type UserRow = RouterOutputs['users']['list']['items'][number];

export default function UsersPage() {
  const data = useLoaderData<typeof loader>();
  const users = trpc.users.list.useQuery(undefined, {
    initialData: data.users,
    initialDataUpdatedAt: data.loadedAt,
  });
  const columns: Column<UserRow>[] = [
    { header: 'Email', rowHeader: true, cell: (user) => user.email },
    { header: 'Name', cell: (user) => user.name ?? <span className="muted">—</span> },
    { header: 'Role', cell: (user) => roleLabels[user.role] },
    {
      header: 'Status',
      cell: (user) => <StatusBadge status={user.disabled ? 'DISABLED' : 'ACTIVE'} />,
    },
    { header: 'Last sign-in', cell: (user) => <RelativeTime date={user.lastLoginAt} /> },
    { header: 'Added', cell: (user) => <RelativeTime date={user.createdAt} /> },
  ];
  return (
    <>
      <h1>Users</h1>
      <div className="panel-grid panel-grid--wide-first">
        <section className="panel" aria-labelledby="users-title">
          <h2 id="users-title">People with access</h2>
          {users.isError ? (
            <ErrorState title="Could not refresh the list">Showing the last list loaded.</ErrorState>
          ) : null}
          <DataTable
            caption={`${users.data.items.length} ${users.data.items.length === 1 ? 'user' : 'users'}`}
            columns={columns}
            rows={users.data.items}
            rowKey={(user) => user.id}
          />
        </section>
        <section className="panel" aria-labelledby="new-user-title">
          <h2 id="new-user-title">Add a user</h2>
          <CreateUserForm />
        </section>
      </div>
    </>
  );
}

type Field = 'email' | 'name' | 'role' | 'password';
type FieldErrors = Partial<Record<Field, string>>;
const FIELDS: Field[] = ['email', 'name', 'role', 'password'];

/** Zod's wording is for developers; these say what to do. Unknown messages pass through. */
function fieldMessage(field: Field, messages: string[]): string | undefined {
  const [first] = messages;
  if (!first) return undefined;
  if (field === 'email') return 'Enter a valid email address.';
  if (field === 'password' && /12/.test(first)) return 'Use at least 12 characters.';
  return first;
}

function fieldErrorsFrom(error: { data?: unknown; message: string }): { fields: FieldErrors; form: string | null } {
  const data = error.data as
    { code?: string; zodError?: { fieldErrors?: Record<string, string[] | undefined> } | null } | undefined;
  const fields: FieldErrors = {};
  for (const field of FIELDS) {
    const message = fieldMessage(field, data?.zodError?.fieldErrors?.[field] ?? []);
    if (message) fields[field] = message;
  }
  if (data?.code === 'CONFLICT') fields.email = error.message;
  return { fields, form: Object.keys(fields).length ? null : error.message };
}

const EMPTY = { email: '', name: '', role: 'VIEWER' as Role, password: '' };

function CreateUserForm() {
  const utils = trpc.useUtils();
  const form = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const create = trpc.users.create.useMutation({
    onSuccess: async (user) => {
      setValues(EMPTY);
      setErrors({});
      setFormError(null);
      setCreated(`Added ${user.email} as ${roleLabels[user.role]}.`);
      await utils.users.list.invalidate();
    },
    onError: (error) => {
      const { fields, form: message } = fieldErrorsFrom(error);
      setErrors(fields);
      setFormError(message);
      setCreated(null);
      // Take keyboard and screen-reader users to the first field to fix.
      const first = FIELDS.find((field) => fields[field]);
      if (first) form.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input: RouterInputs['users']['create'] = {
      email: values.email,
      name: values.name.trim() ? values.name : null,
      role: values.role,
      password: values.password,
    };
    create.mutate(input);
  };
  const set = (field: Field) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [field]: event.target.value }));
  const describedBy = (field: Field, hint?: boolean) =>
    [hint ? `user-${field}-hint` : null, errors[field] ? `user-${field}-error` : null].filter(Boolean).join(' ') ||
    undefined;
  const errorFor = (field: Field) =>
    errors[field] ? (
      <p id={`user-${field}-error`} className="field-error">
        {errors[field]}
      </p>
    ) : null;

  return (
    // noValidate: the server's messages, shown next to each field, are the one source of truth.
    <form
      ref={form}
      className="form"
      onSubmit={submit}
      noValidate
      aria-describedby={formError ? 'user-form-error' : undefined}
    >
      {formError ? (
        <p id="user-form-error" role="alert" className="form-error">
          {formError}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor="user-email">Email</label>
        <input
          id="user-email"
          name="email"
          type="email"
          autoComplete="off"
          value={values.email}
          onChange={set('email')}
          aria-invalid={errors.email ? true : undefined}
          aria-describedby={describedBy('email')}
        />
        {errorFor('email')}
      </div>
      <div className="field">
        <label htmlFor="user-name">
          Name <span className="muted">(optional)</span>
        </label>
        <input
          id="user-name"
          name="name"
          type="text"
          autoComplete="off"
          value={values.name}
          onChange={set('name')}
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={describedBy('name')}
        />
        {errorFor('name')}
      </div>
      <div className="field">
        <label htmlFor="user-role">Role</label>
        <select
          id="user-role"
          name="role"
          value={values.role}
          onChange={set('role')}
          aria-invalid={errors.role ? true : undefined}
          aria-describedby={describedBy('role', true)}
        >
          <option value="VIEWER">Viewer</option>
          <option value="STAFF">Staff</option>
          <option value="ADMIN">Admin</option>
        </select>
        <p id="user-role-hint" className="field-hint">
          Viewers read; staff also run syncs and resolve conflicts; admins also configure integrations and users.
        </p>
        {errorFor('role')}
      </div>
      <div className="field">
        <label htmlFor="user-password">Password</label>
        <input
          id="user-password"
          name="password"
          type="password"
          autoComplete="new-password"
          value={values.password}
          onChange={set('password')}
          aria-invalid={errors.password ? true : undefined}
          aria-describedby={describedBy('password', true)}
        />
        <p id="user-password-hint" className="field-hint">
          At least 12 characters. Share it with the person; they sign in with it.
        </p>
        {errorFor('password')}
      </div>
      <div className="form__actions">
        <Button type="submit" busy={create.isPending}>
          Add user
        </Button>
        <span role="status" className="action-result">
          {created}
        </span>
      </div>
    </form>
  );
}
