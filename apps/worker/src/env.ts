// The worker's configuration, parsed once at start. The only module in the worker that reads
// process.env (an ESLint rule enforces it); everything else takes what it needs as arguments.
import {
  alertEnvFields,
  encryptionEnvFields,
  outboundEnvFields,
  refineAlertEnv,
  refineEncryptionEnv,
  withKeyRing,
} from '@syncbridge/engine';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

// Boolean flags, when the worker grows some, use z.stringbool(): z.coerce.boolean() reads the
// string "false" as true.
const WorkerEnvObject = refineEncryptionEnv(
  z.object({
    DATABASE_URL: z.url({
      protocol: /^postgres(ql)?$/,
      error: (issue) => (issue.input === undefined ? 'is required' : 'must be a postgres:// or postgresql:// URL'),
    }),
    /** Port of the /healthz server; 0 picks a free one (tests). */
    WORKER_PORT: z.coerce
      .number({ error: 'must be a number' })
      .int('must be an integer')
      .min(0, 'must be between 0 and 65535')
      .max(65535, 'must be between 0 and 65535')
      .default(3001),
    WORKER_HOST: z.string().trim().min(1, 'must not be empty').default('127.0.0.1'),
    LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
    /** How many jobs of one queue this process runs at once. */
    WORKER_CONCURRENCY: z.coerce
      .number({ error: 'must be a number' })
      .int('must be an integer')
      .min(1, 'must be between 1 and 100')
      .max(100, 'must be between 1 and 100')
      .default(4),
    /** When set, GET /metrics on the health port asks for `Authorization: Bearer <METRICS_TOKEN>`. */
    METRICS_TOKEN: z.string().min(16, 'must have at least 16 characters').optional(),
    ...encryptionEnvFields,
    /** Internal addresses integrations may connect to anyway (the SSRF guard's allowlist). */
    ...outboundEnvFields,
    // Alert channels, all optional: without them alerts show on the dashboard only.
    ...alertEnvFields,
  }),
);

export const WorkerEnvSchema = refineAlertEnv(WorkerEnvObject).transform(withKeyRing);

export type WorkerEnv = z.infer<typeof WorkerEnvSchema>;

export type WorkerEnvResult = { ok: true; env: WorkerEnv } | { ok: false; problems: string[] };

/**
 * Parses an environment without touching the process. Empty values count as unset, so
 * `WORKER_PORT=` in a .env file means the default rather than port 0.
 */
export function parseWorkerEnv(source: Record<string, string | undefined>): WorkerEnvResult {
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const result = WorkerEnvSchema.safeParse(present);
  if (result.success) return { ok: true, env: result.data };
  // One line per variable and problem; values are never echoed (DATABASE_URL holds a password).
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  return { ok: false, problems };
}

/** Reads process.env once; on a bad configuration prints every problem and exits with status 1. */
export function loadWorkerEnv(): WorkerEnv {
  const result = parseWorkerEnv(process.env);
  if (result.ok) return result.env;
  process.stderr.write(
    `Invalid worker configuration:\n${result.problems.map((problem) => `  ${problem}`).join('\n')}\n`,
  );
  process.exit(1);
}
