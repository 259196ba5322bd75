// The small template language of declarative definitions (see definition.ts): `{path}` and
// `{path|default}` inside strings; whole-value placeholders, `...` spreads and `$json` in bodies.
// Nothing here evaluates code: a placeholder is a dot path into a plain context object.
import { getPath } from '../mapping/paths.ts';

export type TemplateContext = Record<string, unknown>;

const INLINE = /\{([A-Za-z_][\w.[\]-]*)(?:\|([^{}]*))?\}/g;
const WHOLE = /^\{(?:(json|number|string):)?([A-Za-z_][\w.[\]-]*)(?:\|([^{}]*))?\}$/;

export function lookup(context: TemplateContext, path: string): unknown {
  try {
    return getPath(context, path);
  } catch {
    return undefined;
  }
}

function asText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map((item) => asText(item) ?? '').join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Interpolates `{path}` placeholders; `encode` is applied to substituted values (paths). */
export function interpolate(template: string, context: TemplateContext, encode?: (value: string) => string): string {
  return template.replace(INLINE, (_match, path: string, fallback: string | undefined) => {
    const text = asText(lookup(context, path)) ?? fallback ?? '';
    return encode ? encode(text) : text;
  });
}

/**
 * Renders a query/header map: an entry that is exactly one placeholder with no value (and no
 * default) is left out, so optional parameters disappear instead of being sent empty.
 */
export function renderParams(params: Record<string, string>, context: TemplateContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, template] of Object.entries(params)) {
    const whole = WHOLE.exec(template);
    if (whole && whole[3] === undefined && asText(lookup(context, whole[2] as string)) === undefined) continue;
    out[name] = interpolate(template, context);
  }
  return out;
}

function convert(kind: string | undefined, value: unknown): unknown {
  if (value === undefined) return undefined;
  if (kind === 'json') return JSON.stringify(value);
  if (kind === 'string') return asText(value);
  if (kind === 'number') {
    const number = typeof value === 'number' ? value : Number(value);
    return Number.isFinite(number) ? number : undefined;
  }
  return value;
}

/** Renders a JSON body template; undefined values drop their keys (and array items). */
export function renderBody(template: unknown, context: TemplateContext): unknown {
  if (typeof template === 'string') {
    const whole = WHOLE.exec(template);
    if (!whole) return template;
    const value = lookup(context, whole[2] as string);
    return convert(whole[1], value === undefined || value === null ? (whole[3] ?? value) : value);
  }
  if (Array.isArray(template)) {
    return template.map((item) => renderBody(item, context)).filter((item) => item !== undefined);
  }
  if (template && typeof template === 'object') {
    const entries = Object.entries(template as Record<string, unknown>);
    if (entries.length === 1 && entries[0]?.[0] === '$json') return JSON.stringify(renderBody(entries[0][1], context));
    const out: Record<string, unknown> = {};
    for (const [key, value] of entries) {
      const rendered = renderBody(value, context);
      if (key === '...') {
        if (rendered && typeof rendered === 'object' && !Array.isArray(rendered)) Object.assign(out, rendered);
      } else if (rendered !== undefined) out[key] = rendered;
    }
    return out;
  }
  return template;
}
