import { encryptionEnvFields, outboundEnvFields, refineEncryptionEnv, withKeyRing } from '@syncbridge/engine';
import { z } from 'zod';

// The only module of the web app that reads process.env: parsed once at start, then passed down.
export const EnvSchema = refineEncryptionEnv(
  z
    .object({
      DATABASE_URL: z.url({
        protocol: /^postgres(ql)?$/,
        error: (issue) => (issue.input === undefined ? 'is required' : 'must be a postgres:// connection string'),
      }),
      PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
      HOST: z.string().min(1).default('0.0.0.0'),
      LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
      // ── Auth ──
      /** First start only: creates this ADMIN when the users table is empty (with ADMIN_PASSWORD). */
      ADMIN_EMAIL: z.email('must be an email address').optional(),
      ADMIN_PASSWORD: z.string().min(12, 'must have at least 12 characters').optional(),
      /** The session cookie's Secure flag; set to false only for plain-http localhost. */
      SESSION_COOKIE_SECURE: z.stringbool({ error: 'must be true or false' }).default(true),
      // ── Operations ──
      /** Bearer token for POST /api/cron/*; unset turns those endpoints off (404). */
      CRON_SECRET: z.string().min(32, 'must have at least 32 characters').optional(),
      /** When set, GET /metrics asks for `Authorization: Bearer <METRICS_TOKEN>`. */
      METRICS_TOKEN: z.string().min(16, 'must have at least 16 characters').optional(),
      ...encryptionEnvFields,
      // ── Outbound connections (SSRF guard) ──
      ...outboundEnvFields,
    })
    .refine((env) => !env.ADMIN_EMAIL === !env.ADMIN_PASSWORD, {
      path: ['ADMIN_PASSWORD'],
      message: 'ADMIN_EMAIL and ADMIN_PASSWORD go together',
    }),
).transform(withKeyRing);

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
