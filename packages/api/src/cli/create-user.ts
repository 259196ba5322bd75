// pnpm --filter @syncbridge/api user:create --email admin@example.com --role ADMIN [--name "Ada"]
// The password comes from USER_PASSWORD or, when unset, from stdin (never from argv, which other
// users of the machine can see in the process list). Needs DATABASE_URL.
import { parseArgs } from 'node:util';
import { createDatabase, UserRole } from '@syncbridge/db';
import { AppError } from '@syncbridge/engine';
import { createUser } from '../services/users.ts';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password (then Enter, Ctrl-D): ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function main() {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, role: { type: 'string', default: 'VIEWER' }, name: { type: 'string' } },
  });
  const role = values.role?.toUpperCase() as UserRole;
  if (!values.email || !Object.values(UserRole).includes(role)) {
    console.error(
      'Usage: user:create --email EMAIL [--role ADMIN|STAFF|VIEWER] [--name NAME]  (password: USER_PASSWORD or stdin)',
    );
    process.exit(2);
  }
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('Set DATABASE_URL.');
    process.exit(2);
  }
  const password = process.env.USER_PASSWORD || (await readStdin());
  const db = createDatabase({ connectionString: url, applicationName: 'syncbridge-user-create' });
  try {
    const user = await createUser(
      db,
      { userId: null, ip: null },
      { email: values.email, password, role, name: values.name },
    );
    console.log(`Created ${user.role} ${user.email} (${user.id}).`);
  } catch (error) {
    if (error instanceof AppError) {
      console.error(error.message);
      process.exitCode = 1;
    } else throw error;
  } finally {
    await db.close();
  }
}

await main();
