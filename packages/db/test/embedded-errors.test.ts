import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedPostgresError, findFreePort, startEmbeddedPostgres } from '../src/embedded.ts';

describe('embedded Postgres start errors', () => {
  let blocker: net.Server;
  let port: number;

  beforeAll(async () => {
    blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    port = (blocker.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => blocker.close(resolve));
  });

  it('says which port is taken and what to do, in one line', async () => {
    const error = await startEmbeddedPostgres({ dataDir: '/tmp/sb-unused-data', port }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddedPostgresError);
    const message = (error as Error).message;
    expect(message).toContain(`Port ${port} is already in use`);
    expect(message).toMatch(/EMBEDDED_PG_PORT|DATABASE_URL/);
    expect(message).not.toContain('\n');
  });

  it('says the data directory cannot be written, in one line', async () => {
    // A path below a regular file can never be created, whoever runs the test.
    const error = await startEmbeddedPostgres({ dataDir: '/etc/hostname/pgdata', port: await findFreePort() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddedPostgresError);
    expect((error as Error).message).toMatch(/^Cannot write the Postgres data directory \/etc\/hostname\/pgdata: .*DATABASE_URL/);
    expect((error as Error).message).not.toContain('\n');
  });
});
