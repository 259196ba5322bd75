// Child process of bench/engine.ts: pushes a large table the way a worker would (only the engine
// and the database client loaded) and reports its own peak RSS as JSON on stdout.
import { createDatabase } from '@syncbridge/db';
import { pushAll } from '@syncbridge/engine';
import { benchContext, instantConnector, withPeakRss } from './lib.ts';

const [url, resourceId] = process.argv.slice(2);
if (!url || !resourceId) throw new Error('usage: engine-big-push.ts DATABASE_URL RESOURCE_ID');
const db = createDatabase({ connectionString: url, max: 4 });
const fake = instantConnector({ trackArrivals: false });
const ctx = benchContext(db, () => fake.connector);
await db.prisma.integration.count(); // warm the client, so the baseline includes it
const baselineMb = Math.round((process.memoryUsage().rss / 1024 / 1024) * 10) / 10;
const { value, peakMb } = await withPeakRss(() =>
  pushAll(ctx, resourceId, { jobType: 'INITIAL_IMPORT', pageSize: 2000 }),
);
await db.close();
process.stdout.write(`${JSON.stringify({ created: value.created, peakMb, baselineMb, calls: fake.calls })}\n`);
