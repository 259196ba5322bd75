// The embedded demo: resources on the seeded integrations so that `npm start` shows syncs
// happening from the first minute, against the sandboxes the start command runs.
import type { EngineContext } from '../context.ts';
import type { KeyRing } from '../crypto.ts';
import { pushAll } from '../push.ts';
import { saveResource } from '../resources.ts';
import type { ResourceInput } from '../resources.ts';
import { restTasksResource } from './rest-tasks.ts';
import { s1EventResources, type S1Sheets } from './s1-event-smartsheet.ts';
import { s3ContactsResource } from './s3-sheets-contacts.ts';
import { s4CalendarResource } from './s4-calendar.ts';

export interface DemoSandboxes {
  rest: { url: string; token: string };
  /** Smartsheet sandbox: API root (with /2.0), token and the four S1 sheets created in it. */
  smartsheet?: { baseUrl: string; token: string; sheets: S1Sheets };
  /** Google Sheets sandbox: googleapis rootUrl, an access token, and the S3 contacts spreadsheet. */
  googleSheets?: { rootUrl: string; accessToken: string; spreadsheetId: string; sheet: string };
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
    await configureSmartsheet(ctx, keyRing, sandboxes);
    await configureGoogleSheets(ctx, keyRing, sandboxes);
    return { installed: true };
  }
  // The sandboxes keep their records in memory: point at this run's and sync from scratch.
  const demos = await ctx.prisma.integration.findMany({ where: { type: 'GENERIC_REST', settings: { path: [DEMO_FLAG], equals: true } } });
  for (const integration of demos) {
    await ctx.prisma.integration.update({ where: { id: integration.id }, data: { baseUrl: sandboxes.rest.url, nextSyncAt: null } });
    await forgetSyncState(ctx, integration.id);
  }
  await configureSmartsheet(ctx, keyRing, sandboxes);
  await configureGoogleSheets(ctx, keyRing, sandboxes);
  return { installed: false };
}

/** The seeded "Google Sheets → contacts" integration, polling this run's spreadsheet (flow S3). */
async function configureGoogleSheets(ctx: EngineContext, keyRing: KeyRing, sandboxes: DemoSandboxes): Promise<void> {
  const sheets = sandboxes.googleSheets;
  if (!sheets) return;
  const integration = await ctx.prisma.integration.findFirst({ where: { type: 'GOOGLE_SHEETS' }, orderBy: { createdAt: 'asc' } });
  if (!integration) return;
  const { keyId, ciphertext } = keyRing.encrypt(JSON.stringify({ accessToken: sheets.accessToken }));
  await ctx.prisma.integration.update({
    where: { id: integration.id },
    data: {
      baseUrl: sheets.rootUrl,
      authType: 'OAUTH2',
      credentialsEnc: ciphertext,
      credentialsKeyId: keyId,
      nextSyncAt: null, // first poll within a minute, then hourly
      pollingEnabled: true,
      settings: { [DEMO_FLAG]: true },
    },
  });
  await forgetSyncState(ctx, integration.id);
  await upsertResource(ctx, s3ContactsResource(integration.id, { spreadsheetId: sheets.spreadsheetId, sheet: sheets.sheet }));
}

async function forgetSyncState(ctx: EngineContext, integrationId: string): Promise<void> {
  await ctx.prisma.integrationMapping.deleteMany({ where: { integrationId } });
  await ctx.prisma.syncResource.updateMany({ where: { integrationId }, data: { cursor: null } });
}

/** Creates or updates a resource by (integration, name). */
async function upsertResource(ctx: EngineContext, input: ResourceInput): Promise<void> {
  const existing = await ctx.prisma.syncResource.findUnique({ where: { integrationId_name: { integrationId: input.integrationId, name: input.name } } });
  await saveResource(ctx, input, existing?.id);
}

/** The seeded "Event app → Smartsheet" integration, pointed at this run's sheets (flow S1). */
async function configureSmartsheet(ctx: EngineContext, keyRing: KeyRing, sandboxes: DemoSandboxes): Promise<void> {
  const sheet = sandboxes.smartsheet;
  if (!sheet) return;
  const integration = await ctx.prisma.integration.findFirst({ where: { type: 'SMARTSHEET' }, orderBy: { createdAt: 'asc' } });
  if (!integration) return;
  const { keyId, ciphertext } = keyRing.encrypt(JSON.stringify({ accessToken: sheet.token }));
  await ctx.prisma.integration.update({
    where: { id: integration.id },
    data: {
      baseUrl: sheet.baseUrl,
      authType: 'BEARER_TOKEN',
      credentialsEnc: ciphertext,
      credentialsKeyId: keyId,
      // Realtime pushes from change capture, plus the schedule that re-pushes session analytics.
      frequency: 'EVERY_15_MIN',
      nextSyncAt: null,
      settings: { [DEMO_FLAG]: true },
    },
  });
  await forgetSyncState(ctx, integration.id);
  for (const input of s1EventResources(integration.id, sheet.sheets)) await upsertResource(ctx, input);
}
