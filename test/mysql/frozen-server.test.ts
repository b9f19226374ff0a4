import { createServer, connect, type Server, type Socket } from "node:net";
import { createAdapterKit } from "../../src";
import { createTestMariaDb, type TestMariaDb } from "../support/mariadb";
import { MYSQL_DRIVERS } from "../support/mysqlDrivers";
import { uniqueEmail } from "../support/storeSets";

/**
 * A TCP proxy in front of the MariaDB server that can freeze: while frozen it forwards nothing, in
 * either direction, and new connections get no handshake. A hung host or a network path that
 * drops packets looks like this to a client.
 */
class FreezableProxy {
  private server!: Server;
  private frozen = false;
  private readonly pairs = new Set<[Socket, Socket]>();
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(3306, "127.0.0.1");
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      const forward = (from: Socket, to: Socket) => from.on("data", (chunk) => void (this.frozen || to.write(chunk)));
      forward(client, upstream);
      forward(upstream, client);
      const end = () => {
        client.destroy();
        upstream.destroy();
        this.pairs.delete(pair);
      };
      client.on("close", end).on("error", end);
      upstream.on("close", end).on("error", end);
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  freeze(): void {
    this.frozen = true;
  }

  thaw(): void {
    this.frozen = false;
  }

  async stop(): Promise<void> {
    for (const [a, b] of this.pairs) a.destroy(), b.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

let db: TestMariaDb;
beforeAll(async () => {
  db = await createTestMariaDb();
});
afterAll(() => db.drop());

test("a server that stops answering settles every call with DATABASE_UNAVAILABLE (client-side timeout), and the kit recovers when it answers again", async () => {
  const proxy = new FreezableProxy();
  await proxy.start();
  const kits = MYSQL_DRIVERS.map(({ name }) => createAdapterKit({ database: `${name}://root@127.0.0.1:${proxy.port}/${db.name}` }));
  try {
    await kits[0]!.synchronize();
    const users = await Promise.all(kits.map((kit) => kit.authjs.createUser({ email: uniqueEmail("frozen"), emailVerified: null })));
    proxy.freeze();
    // Both drivers at once: each call must end by itself, typed, while the server says nothing.
    const outcomes = await Promise.all(kits.map((kit, i) => kit.authjs.getUser(users[i]!.id).then(() => "answered", (e) => `${e.code}: ${e.message}`)));
    expect(outcomes).toEqual(MYSQL_DRIVERS.map(() => expect.stringMatching(/^DATABASE_UNAVAILABLE: getUser: the database (did not answer in time|is unavailable)/)));
    proxy.thaw();
    // The connection that timed out was dropped; the next call gets a working one.
    for (const [i, kit] of kits.entries()) expect(await kit.authjs.getUser(users[i]!.id)).toEqual(users[i]);
  } finally {
    proxy.thaw();
    await Promise.allSettled(kits.map((kit) => kit.close()));
    await proxy.stop();
  }
}, 60_000);
