import { z } from 'zod';

// The only module of the web app that reads process.env: parsed once at start, then passed down.
export const EnvSchema = z.object({
  DATABASE_URL: z.url({
    protocol: /^postgres(ql)?$/,
    error: (issue) => (issue.input === undefined ? 'is required' : 'must be a postgres:// connection string'),
  }),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
});

export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {
  override name = 'EnvError';
}

/** Parses the environment, failing with one line per bad variable (never echoing values). */
export function parseEnv(source: Record<string, string | undefined>): Env {
  // An empty string means "unset" (`PORT= tsx server.ts`), so defaults apply.
  const values = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const result = EnvSchema.safeParse(values);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  throw new EnvError(`Invalid environment:\n${problems.join('\n')}`);
}

/** Reads process.env once. Also fixes NODE_ENV so React and Express pick their production builds by default. */
export function loadEnv(): Env {
  const env = parseEnv(process.env);
  process.env.NODE_ENV = env.NODE_ENV;
  return env;
}
