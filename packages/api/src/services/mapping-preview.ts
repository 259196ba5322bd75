// The admin app's live mapping preview: runs the mapping engine (the same async mapToExternal /
// mapToLocal the pipelines use, lookups answered from the mapping table) on one sample record and
// reports what each mapping produced or why it failed. Reads only; nothing is sent anywhere.
import type { Database } from '@syncbridge/db';
import {
  AppError,
  assertIdentifier,
  createLookupContext,
  mapToExternal,
  mapToLocal,
  qualifiedName,
  ZFieldMappings,
  ZResourceOptions,
  type FieldMapping,
  type Fields,
} from '@syncbridge/engine';
import { withoutSecrets } from './audit.ts';
import { columnsOf, formPath, localHeads, mappingLabel } from './resource-validation.ts';
import { engineContextFor, type EngineDeps } from './syncs.ts';

/** Wall-clock budget for evaluating one preview's mappings. */
const PREVIEW_BUDGET_MS = 5_000;

export type PreviewDirection = 'toExternal' | 'toLocal';

export interface PreviewRequest {
  resourceId: string;
  mapping?: unknown[];
  sample?: Record<string, unknown>;
  sampleKey?: string;
  direction?: PreviewDirection;
}

export interface PreviewError {
  index: number | null;
  external: string | null;
  path: string;
  message: string;
}

export interface MappingPreview {
  direction: PreviewDirection;
  sampleSource: 'given' | 'table' | 'none';
  sample: Record<string, unknown> | null;
  output: Record<string, unknown> | null;
  errors: PreviewError[];
  ok: boolean;
}

interface Entry {
  index: number;
  mapping: FieldMapping;
}

/** Validates each mapping on its own, so one bad entry does not hide what the others produce. */
function parseEntries(raw: unknown[]): { entries: Entry[]; errors: PreviewError[] } {
  const entries: Entry[] = [];
  const errors: PreviewError[] = [];
  raw.forEach((item, index) => {
    const parsed = ZFieldMappings.safeParse([item]);
    const external =
      typeof (item as { external?: unknown })?.external === 'string' ? (item as { external: string }).external : null;
    if (parsed.success && parsed.data[0]) {
      entries.push({ index, mapping: parsed.data[0] });
      return;
    }
    for (const issue of parsed.error?.issues ?? []) {
      const rest = issue.path.slice(1);
      errors.push({
        index,
        external,
        path: formPath(['fieldMappings', index, ...rest]),
        message: `${mappingLabel(raw, index)}${rest.length ? `, ${formPath(rest)}` : ''}: ${issue.message}`,
      });
    }
  });
  return { entries, errors };
}

async function sampleRow(
  db: Pick<Database, 'pool'>,
  resource: { localSchema: string; localTable: string; localKeyColumn: string; options: unknown },
  key: string | undefined,
): Promise<{ row: Record<string, unknown> | null; columns: Set<string>; relationName: string }> {
  const options = ZResourceOptions.safeParse(resource.options ?? {});
  const relationName = (options.success && options.data.readView) || resource.localTable;
  const columns = await columnsOf(db.pool, resource.localSchema, relationName);
  if (!columns) throw new AppError('VALIDATION', `Table ${resource.localSchema}.${relationName} does not exist.`);
  if (!columns.has(resource.localKeyColumn)) {
    throw new AppError(
      'VALIDATION',
      `Column "${resource.localKeyColumn}" does not exist on ${resource.localSchema}.${relationName}.`,
    );
  }
  // Identifiers were checked against the catalog above; qualifiedName validates and quotes them again.
  const relation = qualifiedName(resource.localSchema, relationName);
  const keyColumn = `"${assertIdentifier(resource.localKeyColumn, 'key column')}"`;
  const { rows } = key
    ? await db.pool.query<Record<string, unknown>>(`select * from ${relation} where ${keyColumn}::text = $1 limit 1`, [
        key,
      ])
    : await db.pool.query<Record<string, unknown>>(`select * from ${relation} order by ${keyColumn} limit 1`);
  return { row: rows[0] ?? null, columns: new Set(columns.keys()), relationName };
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}

export async function previewMapping(deps: EngineDeps, request: PreviewRequest): Promise<MappingPreview> {
  const resource = await deps.prisma.syncResource.findUnique({
    where: { id: request.resourceId },
    select: {
      integrationId: true,
      direction: true,
      localSchema: true,
      localTable: true,
      localKeyColumn: true,
      fieldMappings: true,
      options: true,
    },
  });
  if (!resource) throw new AppError('NOT_FOUND', 'Resource not found.');
  const direction: PreviewDirection = request.direction ?? (resource.direction === 'PULL' ? 'toLocal' : 'toExternal');
  const raw = request.mapping ?? (Array.isArray(resource.fieldMappings) ? (resource.fieldMappings as unknown[]) : []);
  const { entries, errors } = parseEntries(raw);

  let sample: Record<string, unknown> | null;
  let sampleSource: MappingPreview['sampleSource'];
  let tableColumns: Set<string> | null = null;
  let relationName = resource.localTable;
  if (request.sample) {
    sample = request.sample;
    sampleSource = 'given';
  } else if (direction === 'toLocal') {
    throw new AppError('VALIDATION', 'sample: give an external record (its fields) to preview a pull mapping.');
  } else {
    const found = await sampleRow(deps, resource, request.sampleKey);
    if (request.sampleKey && !found.row) {
      throw new AppError(
        'VALIDATION',
        `sampleKey: no row of ${resource.localTable} has the key "${request.sampleKey.slice(0, 80)}".`,
      );
    }
    sample = found.row;
    sampleSource = found.row ? 'table' : 'none';
    tableColumns = found.columns;
    relationName = found.relationName;
  }
  const shown = sample ? (withoutSecrets(sample) as Record<string, unknown>) : null;
  if (!sample) return { direction, sampleSource, sample: null, output: null, errors, ok: errors.length === 0 };

  const lookups = createLookupContext(engineContextFor(deps), resource.integrationId);
  const working: FieldMapping[] = [];
  // Each JSONata expression is capped at 100 ms by the mapping engine; this caps the whole request.
  const deadline = performance.now() + PREVIEW_BUDGET_MS;
  for (const { index, mapping } of entries) {
    const problem = (message: string, field = 'local'): PreviewError => ({
      index,
      external: mapping.external,
      path: formPath(['fieldMappings', index, field]),
      message: `${mappingLabel(raw, index)}: ${message}`,
    });
    if (performance.now() > deadline) {
      errors.push(problem(`not previewed: the preview stopped after ${PREVIEW_BUDGET_MS / 1000} s.`, 'external'));
      continue;
    }
    const missing = tableColumns ? localHeads(mapping).filter((column) => !tableColumns.has(column)) : [];
    if (missing.length > 0) {
      errors.push(problem(`column "${missing[0]}" does not exist on ${resource.localSchema}.${relationName}.`));
      continue;
    }
    try {
      if (direction === 'toExternal') await mapToExternal(sample, [mapping], lookups);
      else await mapToLocal(sample as Fields, [mapping], lookups);
      working.push(mapping);
    } catch (error) {
      const field = direction === 'toExternal' ? 'transform' : 'reverseTransform';
      errors.push(problem(messageOf(error), mapping[field] ? field : 'external'));
    }
  }
  // Each working mapping succeeded alone; together they build the record the sync would send or write.
  let output: Record<string, unknown> | null;
  try {
    output =
      direction === 'toExternal'
        ? await mapToExternal(sample, working, lookups)
        : await mapToLocal(sample as Fields, working, lookups);
  } catch (error) {
    // Only a mapping that behaves differently on a second run (a time limit hit this time) gets here.
    output = null;
    errors.push({ index: null, external: null, path: 'fieldMappings', message: messageOf(error) });
  }
  errors.sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
  return { direction, sampleSource, sample: shown, output, errors, ok: errors.length === 0 };
}
