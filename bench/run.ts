// `pnpm bench`             every benchmark of the issues, one after another, each in its own process
//                          (so memory figures are its own), then a summary table (name, key figures,
//                          target, pass/fail) written to bench/results/summary.json.
// `pnpm bench <name>`      one benchmark, then its checks.
// `pnpm bench --soak 10m`  the soak (bench/soak.ts) for that long: `s` or `m` units (`--soak 60s`).
//
// Each benchmark writes bench/results/<name>.json; the checks below read it. A benchmark that fails
// (non-zero exit) or leaves no fresh results counts as failed, and the run goes on with the next.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { benchDir } from './lib.ts';

type Results = Record<string, unknown>;

interface Check {
  /** The figure, as named in the results file (or a name for a derived one). */
  metric: string;
  value: (r: Results) => number | undefined;
  target: string;
  /** Undefined: reported, not judged. */
  pass?: (value: number, r: Results) => boolean;
}

interface Benchmark {
  name: string;
  what: string;
  checks: Check[];
}

const num = (key: string) => (r: Results) => (typeof r[key] === 'number' ? r[key] : undefined);
const atMost = (key: string, max: number, unit = ''): Check => ({
  metric: key,
  value: num(key),
  target: `≤ ${max}${unit}`,
  pass: (v) => v <= max,
});
const atLeast = (key: string, min: number, unit = ''): Check => ({
  metric: key,
  value: num(key),
  target: `≥ ${min}${unit}`,
  pass: (v) => v >= min,
});
const zero = (key: string): Check => ({ metric: key, value: num(key), target: '= 0', pass: (v) => v === 0 });

const apiBound: Check[] = [
  atMost('api_bound_ratio', 1.15, '×'),
  {
    metric: 'max_requests_in_window',
    value: num('max_requests_in_window'),
    target: '≤ limit_requests',
    pass: (v, r) => typeof r.limit_requests === 'number' && v <= r.limit_requests,
  },
  zero('rejected_429'),
];

/** The issues' benchmarks, in the order `pnpm bench` runs them. */
const BENCHMARKS: Benchmark[] = [
  {
    name: 'engine',
    what: 'engine throughput, no-op re-sync, commit → API latency, peak memory for 1,000,000 rows',
    checks: [
      atLeast('push_rows_per_s', 5000, ' rows/s'),
      zero('noop_resync_api_calls'),
      atMost('noop_resync_s', 5, ' s'),
      atMost('latency_p50_ms', 200, ' ms'),
      atMost('latency_p99_ms', 1000, ' ms'),
      atMost('peak_rss_mb', 300, ' MB'),
    ],
  },
  { name: 'smartsheet', what: 'API-bound efficiency, Smartsheet (20,000 rows)', checks: apiBound },
  { name: 'webflow', what: 'API-bound efficiency, Webflow (10,000 items, published)', checks: apiBound },
  { name: 'hubspot', what: 'API-bound efficiency, HubSpot (10,000 contacts)', checks: apiBound },
  {
    name: 'webhooks',
    what: 'webhook ingress vs bare Express',
    checks: [
      {
        metric: 'web_rps',
        value: num('web_rps'),
        target: '≥ target_rps',
        pass: (v, r) => v >= Number(r.target_rps ?? 1500),
      },
      {
        metric: 'web_p99_ms',
        value: num('web_p99_ms'),
        target: '≤ target_p99_ms',
        pass: (v, r) => v <= Number(r.target_p99_ms ?? 50),
      },
      {
        metric: 'web_errors + web_non2xx',
        value: (r) => Number(r.web_errors ?? Number.NaN) + Number(r.web_non2xx ?? Number.NaN),
        target: '= 0',
        pass: (v) => v === 0,
      },
      { metric: 'rps_ratio', value: num('rps_ratio'), target: 'web / bare' },
    ],
  },
];

const SOAK: Benchmark = {
  name: 'soak',
  what: 'S1 + S5 under the real worker with 10% 5xx and 5% 429',
  checks: [
    atLeast('success_within_budget_pct', 99.9, '%'),
    atLeast('success_eventually_pct', 100, '%'),
    zero('missing_after_quiescence'),
    { metric: 'worker_rss_growth_mb', value: num('worker_rss_growth_mb'), target: 'reported' },
    { metric: 'worker_heap_growth_mb', value: num('worker_heap_growth_mb'), target: 'reported' },
    { metric: 'max_outbox_pending', value: num('max_outbox_pending'), target: 'reported' },
    { metric: 'max_job_backlog', value: num('max_job_backlog'), target: 'reported' },
  ],
};

interface Row {
  bench: string;
  metric: string;
  value: number | null;
  target: string;
  result: 'pass' | 'FAIL' | '—';
}

interface Outcome {
  name: string;
  what: string;
  status: 'ok' | 'failed';
  exit_code: number | null;
  seconds: number;
  rows: Row[];
}

function parseDuration(text: string | undefined): number {
  const match = /^(\d+(?:\.\d+)?)(s|m)$/.exec(text ?? '');
  if (!match) {
    console.error(`--soak needs a duration such as 10m or 60s, got "${text ?? ''}"`);
    process.exit(2);
  }
  return Math.round(Number(match[1]) * (match[2] === 'm' ? 60_000 : 1000));
}

function resultsFile(name: string): string {
  return path.join(benchDir, 'results', `${name}.json`);
}

/** Runs bench/<name>.ts in its own Node process and judges its (fresh) results. */
function runBenchmark(bench: Benchmark, args: string[], env: NodeJS.ProcessEnv = process.env): Outcome {
  const file = resultsFile(bench.name);
  const startedAt = Date.now();
  console.log(`\n━━ ${bench.name}: ${bench.what}`);
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', path.join(benchDir, `${bench.name}.ts`), ...args],
    { stdio: 'inherit', env },
  );
  const seconds = Math.round((Date.now() - startedAt) / 100) / 10;
  const fresh = existsSync(file) && statSync(file).mtimeMs >= startedAt;
  const results: Results = fresh ? (JSON.parse(readFileSync(file, 'utf8')) as Results) : {};
  const ok = child.status === 0 && fresh;
  const rows = bench.checks.map((check): Row => {
    const value = ok ? check.value(results) : undefined;
    const known = value !== undefined && Number.isFinite(value);
    return {
      bench: bench.name,
      metric: check.metric,
      value: known ? value : null,
      target: check.target,
      result: !check.pass ? '—' : known && check.pass(value, results) ? 'pass' : 'FAIL',
    };
  });
  return { name: bench.name, what: bench.what, status: ok ? 'ok' : 'failed', exit_code: child.status, seconds, rows };
}

function printTable(outcomes: Outcome[]): void {
  const lines = outcomes.flatMap((o) =>
    o.status === 'ok'
      ? o.rows
      : [
          {
            bench: o.name,
            metric: `did not finish (exit ${o.exit_code})`,
            value: null,
            target: '',
            result: 'FAIL' as const,
          },
        ],
  );
  const cells = lines.map((l) => [l.bench, l.metric, l.value === null ? '' : String(l.value), l.target, l.result]);
  const header = ['benchmark', 'figure', 'value', 'target', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i === 2 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ');
  console.log(`\n${line(header)}\n${widths.map((w) => '─'.repeat(w)).join('  ')}`);
  for (const c of cells) console.log(line(c));
}

async function writeSummary(outcomes: Outcome[]): Promise<void> {
  const rows = outcomes.flatMap((o) => o.rows);
  const failed = outcomes.filter((o) => o.status !== 'ok' || o.rows.some((r) => r.result === 'FAIL'));
  const summary = {
    generated_at: new Date().toISOString(),
    node_version: process.version,
    cpu_count: os.cpus().length,
    load_avg_1m: Math.round(os.loadavg()[0]! * 100) / 100,
    passed_checks: rows.filter((r) => r.result === 'pass').length,
    failed_checks: rows.filter((r) => r.result === 'FAIL').length + outcomes.filter((o) => o.status !== 'ok').length,
    benchmarks: outcomes.map((o) => ({
      name: o.name,
      what: o.what,
      status: o.status,
      exit_code: o.exit_code,
      seconds: o.seconds,
      passed: o.status === 'ok' && !o.rows.some((r) => r.result === 'FAIL'),
      checks: o.rows.map(({ metric, value, target, result }) => ({ metric, value, target, result })),
    })),
    all_passed: failed.length === 0,
  };
  const file = path.join(benchDir, 'results', 'summary.json');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(summary, null, 2)}\n`);
  console.log(
    `\nwritten to bench/results/summary.json (${summary.passed_checks} checks passed, ${summary.failed_checks} failed)`,
  );
}

async function main() {
  const args = process.argv.slice(2);
  const soakAt = args.findIndex((a) => a === '--soak' || a.startsWith('--soak='));
  if (soakAt >= 0 || args[0] === 'soak') {
    const text =
      soakAt >= 0 ? (args[soakAt]!.includes('=') ? args[soakAt]!.split('=')[1] : args[soakAt + 1]) : (args[1] ?? '10m');
    const ms = parseDuration(text);
    const outcome = runBenchmark(SOAK, [], { ...process.env, BENCH_SOAK_MS: String(ms) });
    printTable([outcome]);
    process.exit(outcome.status === 'ok' && !outcome.rows.some((r) => r.result === 'FAIL') ? 0 : 1);
  }
  const [name, ...rest] = args;
  if (name) {
    const bench = BENCHMARKS.find((b) => b.name === name);
    if (!bench) {
      console.error(
        `Unknown benchmark "${name}". Available: ${BENCHMARKS.map((b) => b.name).join(', ')}, --soak <duration>`,
      );
      process.exit(2);
    }
    const outcome = runBenchmark(bench, rest);
    printTable([outcome]);
    process.exit(outcome.status === 'ok' ? 0 : 1);
  }
  const outcomes = BENCHMARKS.map((bench) => runBenchmark(bench, []));
  printTable(outcomes);
  await writeSummary(outcomes);
  process.exit(outcomes.every((o) => o.status === 'ok' && !o.rows.some((r) => r.result === 'FAIL')) ? 0 : 1);
}

void main();
