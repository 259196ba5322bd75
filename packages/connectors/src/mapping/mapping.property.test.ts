// Property tests for the reversibility claims of the mapping engine: every transform that
// inverseTransform() declares reversible comes back equal after local → external → local, for
// generated values of its domain, alone and all together in one mapping. Transforms declared one
// way are not tested for a round trip, and the list of claims is checked against the cases here,
// so a new claim without a generator fails.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  inverseTransform,
  mapToExternal,
  mapToLocal,
  parseFieldMappings,
  ZTransform,
  type MappingContext,
  type Transform,
} from './mapping.ts';
import { transformFunctionInverses, transformFunctions } from './transforms.ts';

const RUNS = { numRuns: 300 };

/** How a case compares the value it started with and the one that came back. */
type Same = (before: unknown, after: unknown) => boolean;

interface ReversibleCase {
  /** Transform configurations of this kind (all reversible). */
  transform: fc.Arbitrary<Transform | undefined>;
  /** Local values in the transform's domain. */
  domain: (transform: Transform | undefined) => fc.Arbitrary<unknown>;
  same?: Same;
  /** Needs the lookup context. */
  lookup?: boolean;
}

const instant = (value: unknown) => (value instanceof Date ? value.getTime() : Date.parse(String(value)));
/** Datetimes come back as ISO strings: the same instant, whatever shape went in. */
const sameInstant: Same = (before, after) =>
  before === null ? after === null : typeof after === 'string' && instant(after) === instant(before);
const sameDay: Same = (before, after) =>
  before === null
    ? after === null
    : after === (before instanceof Date ? before.toISOString().slice(0, 10) : String(before));

const validDate = fc.date({
  noInvalidDate: true,
  min: new Date('0001-01-01T00:00:00.000Z'),
  max: new Date('9999-12-31T23:59:59.999Z'),
});
/** A datetime as a Date, as toISOString() writes it, or as Postgres' to_jsonb writes it. */
const datetimeValue = validDate.chain((d) =>
  fc.constantFrom<unknown>(d, d.toISOString(), d.toISOString().replace('Z', '+00:00')),
);
const dayValue = validDate.chain((d) => {
  const midnight = new Date(d.toISOString().slice(0, 10));
  return fc.constantFrom<unknown>(midnight, midnight.toISOString().slice(0, 10));
});
const orNull = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.constant(null));

/** Keys that would find Object.prototype members through `in`. */
const awkwardKey = fc.constantFrom('toString', 'constructor', 'hasOwnProperty', 'valueOf', '__proto__');
const enumTransform = fc
  .uniqueArray(fc.oneof(fc.string(), awkwardKey), { minLength: 1, maxLength: 8 })
  .chain((keys) =>
    fc
      .uniqueArray(fc.oneof(fc.string(), fc.integer(), fc.boolean(), awkwardKey), {
        minLength: keys.length,
        maxLength: keys.length,
        selector: (v) => String(v),
      })
      // Parsed as a saved mapping would be (validation drops a "__proto__" key, for one).
      .map((values) =>
        ZTransform.parse({ type: 'enum', map: Object.fromEntries(keys.map((k, i) => [k, values[i]!])) }),
      ),
  )
  .filter(
    (t) => Object.keys((t as Extract<Transform, { type: 'enum' }>).map).length > 0 && inverseTransform(t) !== null,
  );

// Local ids ↔ external ids of the lookup resource: a bijection, as integration_mappings holds.
const LOOKUP_PAIRS = Array.from({ length: 20 }, (_, i) => [`local-${i}`, `ext-${i * 7 + 3}`] as const);
const lookupContext: MappingContext = {
  lookup: (_resource, id, direction) => {
    const pair = LOOKUP_PAIRS.find(([local, external]) => (direction === 'toExternal' ? local : external) === id);
    return Promise.resolve(pair ? (direction === 'toExternal' ? pair[1] : pair[0]) : null);
  },
};

/** One entry per transform kind (and named function) that claims to be reversible. */
const reversible: Record<string, ReversibleCase> = {
  identity: { transform: fc.constant(undefined), domain: () => fc.jsonValue({ maxDepth: 3 }) },
  string: {
    transform: fc.constant({ type: 'string' }),
    domain: () => orNull(fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }))),
  },
  number: {
    transform: fc.constant({ type: 'number' }),
    domain: () => orNull(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }))),
  },
  boolean: { transform: fc.constant({ type: 'boolean' }), domain: () => orNull(fc.boolean()) },
  'date:datetime': {
    transform: fc.constant({ type: 'date', format: 'datetime' }),
    domain: () => orNull(datetimeValue),
    same: sameInstant,
  },
  'date:date': {
    transform: fc.constant({ type: 'date', format: 'date' }),
    domain: () => orNull(dayValue),
    same: sameDay,
  },
  json: {
    transform: fc.constant({ type: 'json' }),
    domain: () => fc.jsonValue({ maxDepth: 3 }).filter((v) => typeof v !== 'string'),
  },
  enum: {
    transform: enumTransform,
    domain: (t) => fc.constantFrom(...Object.keys((t as Extract<Transform, { type: 'enum' }>).map)),
  },
  lookup: {
    transform: fc.constant({ type: 'lookup', resource: 'members' }),
    domain: () => orNull(fc.constantFrom(...LOOKUP_PAIRS.map(([local]) => local))),
    lookup: true,
  },
  'function:dateToTimestamp': {
    transform: fc.constant({ type: 'function', name: 'dateToTimestamp', options: {} }),
    domain: () => orNull(datetimeValue),
    same: sameInstant,
  },
};

function caseName(transform: Transform | undefined): string {
  if (!transform) return 'identity';
  if (transform.type === 'date') return `date:${transform.format}`;
  if (transform.type === 'function') return `function:${transform.name}`;
  return transform.type;
}

const sameValue = (c: ReversibleCase, before: unknown, after: unknown) =>
  c.same ? c.same(before, after) : (expect(after).toEqual(before), true);

async function roundTrip(transform: Transform | undefined, value: unknown, context: MappingContext) {
  const claim = inverseTransform(transform);
  if (!claim) throw new Error(`${caseName(transform)} is not declared reversible`);
  const mappings = parseFieldMappings([
    { local: 'value', external: 'data.value', transform, reverseTransform: claim.reverse },
  ]);
  const external = await mapToExternal({ value }, mappings, context);
  const back = await mapToLocal(external, mappings, context);
  return { external, back: back.value };
}

describe('reversibility claims', () => {
  it('declares exactly the transforms these tests cover reversible, and the rest one way', () => {
    const oneWay: (Transform | undefined)[] = [
      { type: 'constant', value: 'x' },
      { type: 'jsonata', expression: '$uppercase(name)' },
      { type: 'enum', map: { a: 'same', b: 'same' } },
      { type: 'enum', map: { a: { nested: true } } },
      { type: 'enum', map: { a: 1, b: '1' } },
      { type: 'enum', map: { a: '__proto__' } },
    ];
    for (const transform of oneWay) expect(inverseTransform(transform)).toBeNull();
    const claimedFunctions = Object.keys(transformFunctions).filter(
      (name) => inverseTransform({ type: 'function', name, options: {} }) !== null,
    );
    expect(claimedFunctions.sort()).toEqual(Object.keys(transformFunctionInverses).sort());
    for (const name of claimedFunctions) expect(reversible).toHaveProperty([`function:${name}`]);
    // Every built-in kind is either covered here or declared one way.
    const kinds = ZTransform.options.map((option) => option.shape.type.value);
    for (const kind of kinds) {
      if (kind === 'function' || kind === 'constant' || kind === 'jsonata') continue;
      expect(Object.keys(reversible).some((name) => name === kind || name.startsWith(`${kind}:`))).toBe(true);
    }
  });

  it('declares inverses that are themselves valid transform configurations', () => {
    fc.assert(
      fc.property(fc.oneof(...Object.values(reversible).map((c) => c.transform)), (transform) => {
        const claim = inverseTransform(transform);
        expect(claim).not.toBeNull();
        if (claim?.reverse) expect(ZTransform.safeParse(claim.reverse).success).toBe(true);
      }),
      RUNS,
    );
  });
});

describe('round trips, transform by transform', () => {
  for (const [name, c] of Object.entries(reversible)) {
    it(`${name}: internal → external → internal comes back equal`, async () => {
      await fc.assert(
        fc.asyncProperty(
          c.transform.chain((t) => c.domain(t).map((value) => ({ t, value }))),
          async ({ t, value }) => {
            // The configuration goes through the same validation as a saved mapping.
            const transform = t === undefined ? undefined : ZTransform.parse(t);
            const { back } = await roundTrip(transform, value, c.lookup ? lookupContext : {});
            expect(sameValue(c, value, back)).toBe(true);
          },
        ),
        RUNS,
      );
    });
  }

  it('an enum never answers with an Object.prototype member for a value outside its map', async () => {
    await fc.assert(
      fc.asyncProperty(enumTransform, fc.oneof(fc.string(), awkwardKey), async (t, value) => {
        const transform = t as Extract<Transform, { type: 'enum' }>;
        fc.pre(!Object.hasOwn(transform.map, value));
        const mappings = parseFieldMappings([
          { local: 'v', external: 'v', transform: { ...transform, fallback: 'other' } },
        ]);
        expect((await mapToExternal({ v: value }, mappings)).v).toBe('other');
      }),
      RUNS,
    );
  });
});

describe('a whole mapping of reversible transforms', () => {
  // One column per case, to nested external paths, as a saved resource would have them.
  const columns = Object.keys(reversible).map((name, i) => ({
    name,
    local: `col_${i}`,
    external: i % 3 === 0 ? `f${i}` : i % 3 === 1 ? `data.attrs.f${i}` : `data.items[${i}].value`,
  }));

  const config = fc.record(
    Object.fromEntries(columns.map(({ name }) => [name, reversible[name]!.transform])) as Record<
      string,
      fc.Arbitrary<Transform | undefined>
    >,
  );

  it('maps a generated row out and back without losing anything', async () => {
    await fc.assert(
      fc.asyncProperty(
        config.chain((transforms) =>
          fc
            .record(
              Object.fromEntries(
                columns.map(({ name, local }) => [local, reversible[name]!.domain(transforms[name])]),
              ) as Record<string, fc.Arbitrary<unknown>>,
            )
            .map((row) => ({ transforms, row })),
        ),
        async ({ transforms, row }) => {
          const mappings = parseFieldMappings(
            columns.map(({ name, local, external }) => ({
              local,
              external,
              transform: transforms[name],
              reverseTransform: inverseTransform(transforms[name])?.reverse,
            })),
          );
          const external = await mapToExternal(row, mappings, lookupContext);
          const back = await mapToLocal(external, mappings, lookupContext);
          expect(Object.keys(back).sort()).toEqual(Object.keys(row).sort());
          for (const { name, local } of columns) {
            expect(sameValue(reversible[name]!, row[local], back[local]), `${name} (${local})`).toBe(true);
          }
          // A second trip changes nothing at all: the first one already normalised every value.
          const again = await mapToLocal(await mapToExternal(back, mappings, lookupContext), mappings, lookupContext);
          expect(again).toEqual(back);
        },
      ),
      { numRuns: 200 },
    );
  });
});
