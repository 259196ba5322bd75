import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { alertChannelsFromEnv, alertEndpoints, alertEnvFields, refineAlertEnv } from './alert-env.ts';

// How an app uses it: its own fields plus the alert fields, then the cross-field checks.
const Schema = refineAlertEnv(z.object({ DATABASE_URL: z.string(), ...alertEnvFields }));
const secret = `whsec_${randomBytes(32).toString('base64')}`;

function problems(env: Record<string, string>): string[] {
  const result = Schema.safeParse(env);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('alert channel environment', () => {
  it('builds no channel from an empty environment and every channel from a full one', () => {
    expect(alertChannelsFromEnv(Schema.parse({ DATABASE_URL: 'x' }))).toBeNull();
    const env = Schema.parse({
      DATABASE_URL: 'x',
      ALERT_WEBHOOK_URL: 'https://hooks.example.com/syncbridge',
      ALERT_WEBHOOK_SECRET: secret,
      ALERT_SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/abc',
      ALERT_SMTP_URL: 'smtps://alerts:pw@smtp.example.com:465',
      ALERT_EMAIL_FROM: 'Syncbridge <alerts@example.com>',
      ALERT_EMAIL_TO: 'ops@example.com, oncall@example.com',
      ALERT_DASHBOARD_URL: 'https://sync.example.com',
    });
    expect(alertChannelsFromEnv(env)).toEqual({
      webhook: { url: 'https://hooks.example.com/syncbridge', secret },
      slack: { url: 'https://hooks.slack.com/services/T0/B0/abc' },
      email: {
        smtpUrl: 'smtps://alerts:pw@smtp.example.com:465',
        from: 'Syncbridge <alerts@example.com>',
        to: ['ops@example.com', 'oncall@example.com'],
      },
      dashboardUrl: 'https://sync.example.com',
      timeoutMs: 5_000,
    });
    // For an outbound allowlist: where the channels connect, without credentials or paths.
    expect(alertEndpoints(env)).toEqual([
      'https://hooks.example.com',
      'https://hooks.slack.com',
      'smtps://smtp.example.com:465',
    ]);
  });

  it('names each bad or incomplete variable, never its value', () => {
    expect(problems({ DATABASE_URL: 'x', ALERT_WEBHOOK_URL: 'https://h.example.com' })).toEqual([
      'ALERT_WEBHOOK_SECRET: is required with ALERT_WEBHOOK_URL',
    ]);
    expect(problems({ DATABASE_URL: 'x', ALERT_SMTP_URL: 'smtp://h.example.com' })).toEqual([
      'ALERT_EMAIL_FROM: is required with ALERT_SMTP_URL',
      'ALERT_EMAIL_TO: is required with ALERT_SMTP_URL',
    ]);
    const bad = problems({
      DATABASE_URL: 'x',
      ALERT_WEBHOOK_URL: 'ftp://h.example.com',
      ALERT_WEBHOOK_SECRET: 'whsec_c2hvcnQ=',
      ALERT_SMTP_URL: 'http://smtp.example.com',
      ALERT_EMAIL_TO: 'ops@example.com, not-an-address',
    });
    expect(bad.map((p) => p.split(':')[0])).toEqual([
      'ALERT_WEBHOOK_URL',
      'ALERT_WEBHOOK_SECRET',
      'ALERT_SMTP_URL',
      'ALERT_EMAIL_TO',
    ]);
    expect(bad.join('\n')).not.toContain('c2hvcnQ');
    expect(bad.join('\n')).not.toContain('not-an-address');
  });

  it('runs the cross-field checks even when an unrelated variable is wrong', () => {
    const strict = refineAlertEnv(z.object({ PORT: z.coerce.number(), ...alertEnvFields }));
    const result = strict.safeParse({
      PORT: 'many',
      ALERT_SLACK_WEBHOOK_URL: 'https://h.example.com/x',
      ALERT_EMAIL_TO: 'a@b.co',
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toEqual(['PORT', 'ALERT_SMTP_URL']);
  });
});
