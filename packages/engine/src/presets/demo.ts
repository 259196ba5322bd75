// The embedded demo: resources on the seeded integrations so that `npm start` shows syncs
// happening from the first minute, against the sandboxes the start command runs.
import type { EngineContext } from '../context.ts';
import type { KeyRing } from '../crypto.ts';
import { pushAll } from '../push.ts';
import { saveResource } from '../resources.ts';
import { restTasksResource } from './rest-tasks.ts';
import { s4CalendarResource } from './s4-calendar.ts';

export interface DemoSandboxes {
  rest: { url: string; token: string };
}

/** Marks integrations whose external side is an in-memory sandbox (reset on every start). */
const DEMO_FLAG = 'demoSandbox';

/**
 * Installs the demo resources once per database; on later starts only re-points the sandbox
 * integrations at this run's sandboxes and forgets their mappings (sandboxes start empty).
 */
export async function installDemo(ctx: EngineContext, keyRing: KeyRing, sandboxes: DemoSandboxes): Promise<{ installed: boolean }> {
  const claimed = await ctx.pool.query(
    `insert into system_settings (key, value, updated_at) values ('demo_installed_at', to_jsonb(now()::text), now()) on conflict (key) do nothing`,
  );
  if (claimed.rowCount === 1) {
    const calendar = await ctx.prisma.integration.findFirst({ where: { type: 'IN_DATABASE' } });
    if (calendar) {
      const resource = await saveResource(ctx, s4CalendarResource(calendar.id));
      await pushAll(ctx, resource.id, { jobType: 'INITIAL_IMPORT', trigger: 'demo' });
    }
    const { keyId, ciphertext } = keyRing.encrypt(JSON.stringify({ token: sandboxes.rest.token }));
    const rest = await ctx.prisma.integration.create({
      data: {
        name: 'Tasks ↔ REST API (sandbox)',
        type: 'GENERIC_REST',
        baseUrl: sandboxes.rest.url,
        authType: 'BEARER_TOKEN',
        credentialsEnc: ciphertext,
        credentialsKeyId: keyId,
        direction: 'BIDIRECTIONAL',
        frequency: 'EVERY_15_MIN',
        conflictStrategy: 'LATEST_WINS',
        settings: { [DEMO_FLAG]: true, requestsPerWindow: 600, windowMs: 60_000, maxBatchSize: 100 },
      },
    });
    await saveResource(ctx, restTasksResource(rest.id));
    return { installed: true };
  }
  // The sandboxes keep their records in memory: point at this run's and sync from scratch.
  const demos = await ctx.prisma.integration.findMany({ where: { type: 'GENERIC_REST', settings: { path: [DEMO_FLAG], equals: true } } });
  for (const integration of demos) {
    await ctx.prisma.integration.update({ where: { id: integration.id }, data: { baseUrl: sandboxes.rest.url, nextSyncAt: null } });
    await ctx.prisma.integrationMapping.deleteMany({ where: { integrationId: integration.id } });
    await ctx.prisma.syncResource.updateMany({ where: { integrationId: integration.id }, data: { cursor: null } });
  }
  return { installed: false };
}
