// Configuration of the all-in-one start command (scripts/start.ts), parsed once.
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

export const startEnvSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  EMBEDDED_PG_PORT: port.default(54329),
  DATA_DIR: z.string().min(1).default('.data'),
  PORT: port.default(3000),
  WORKER_PORT: port.default(3001),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Demo data, sandboxes and demo integrations. Default: on with the embedded database only. */
  SEED_DEMO: z.stringbool().optional(),
  SANDBOX_REST_PORT: port.default(4010),
  SANDBOX_SMARTSHEET_PORT: port.default(4011),
  SANDBOX_GOOGLE_SHEETS_PORT: port.default(4012),
  ENCRYPTION_KEYS: z.string().min(1).optional(),
  /** First admin (created while no user exists). Embedded demo default: admin@syncbridge.local + a generated password. */
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(12).optional(),
  SESSION_COOKIE_SECURE: z.stringbool().optional(),
  ENCRYPTION_PRIMARY_KEY_ID: z.string().min(1).optional(),
  /** Passed to web and worker (checked there), with the demo sandboxes' host:port added. */
  OUTBOUND_ALLOWLIST: z.string().optional(),
});

export type StartEnv = z.infer<typeof startEnvSchema>;

export function parseStartEnv(source: NodeJS.ProcessEnv = process.env): StartEnv {
  const result = startEnvSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`).join('\n');
    console.error(`Invalid configuration:\n${problems}`);
    process.exit(1);
  }
  return result.data;
}
