// A comparable description of a database's structure read from pg_catalog: tables, columns,
// constraints, indexes and enums. The drift test compares the database the migrations build with
// the one schema.prisma describes.
import pg from 'pg';

export async function schemaFingerprint(connectionString: string, schema = 'public'): Promise<string[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const lines: string[] = [];
    const columns = await client.query<{ line: string }>(
      `select format('column %s.%s %s%s%s', c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
                     case when a.attnotnull then ' not null' else '' end,
                     coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')) as line
         from pg_attribute a
         join pg_class c on c.oid = a.attrelid
         join pg_namespace n on n.oid = c.relnamespace
         left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
        where n.nspname = $1 and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
          and c.relname <> '_prisma_migrations'`,
      [schema],
    );
    const constraints = await client.query<{ line: string }>(
      `select format('constraint %s.%s %s', c.relname, con.conname, pg_get_constraintdef(con.oid)) as line
         from pg_constraint con
         join pg_class c on c.oid = con.conrelid
         join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relname <> '_prisma_migrations'`,
      [schema],
    );
    const indexes = await client.query<{ line: string }>(
      `select format('index %s', indexdef) as line from pg_indexes
        where schemaname = $1 and tablename <> '_prisma_migrations'`,
      [schema],
    );
    const enums = await client.query<{ line: string }>(
      `select format('enum %s (%s)', t.typname, string_agg(e.enumlabel, ', ' order by e.enumsortorder)) as line
         from pg_type t
         join pg_enum e on e.enumtypid = t.oid
         join pg_namespace n on n.oid = t.typnamespace
        where n.nspname = $1
        group by t.typname`,
      [schema],
    );
    for (const result of [columns, constraints, indexes, enums]) lines.push(...result.rows.map((r) => r.line));
    return lines.sort();
  } finally {
    await client.end();
  }
}
