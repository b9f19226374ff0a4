/**
 * A Redis Cluster client from ioredis before 5.9 draws one process warning when the cache is set
 * up (those versions can leave an unhandled rejection after a failover); ioredis 5.9+ and any
 * standalone client draw none. Real ioredis packages (5.11 and 5.8, the latter installed as
 * `ioredis-5.8`); the clients are made with `lazyConnect` and never connect.
 */
import { Cluster, Redis } from "ioredis";
import { Cluster as Cluster58, Redis as Redis58 } from "ioredis-5.8";
import { sessionCache } from "../index";

const secret = "cluster-check-secret-0123456789abcdef-0123";
const nodes = [{ host: "127.0.0.1", port: 7000 }];

function clusterWarnings(calls: unknown[][]): string[] {
  return calls.filter(([, options]) => (options as { code?: string } | undefined)?.code === "NAK_IOREDIS_CLUSTER").map(([message]) => String(message));
}

test("only a Cluster client from ioredis before 5.9 is warned about, once per process, naming the fix", () => {
  const clients = [new Cluster(nodes, { lazyConnect: true }), new Redis({ lazyConnect: true }), new Redis58({ lazyConnect: true })];
  const old = [new Cluster58(nodes, { lazyConnect: true }), new Cluster58(nodes, { lazyConnect: true })];
  const emitted = jest.spyOn(process, "emitWarning");
  try {
    for (const redis of clients) sessionCache({ redis, secret });
    expect(clusterWarnings(emitted.mock.calls)).toEqual([]);

    for (const redis of old) sessionCache({ redis, secret });
    const warnings = clusterWarnings(emitted.mock.calls);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/ioredis before 5\.9/);
    expect(warnings[0]).toMatch(/upgrade ioredis to 5\.9 or later/);
    expect(warnings[0]).not.toContain(secret);
  } finally {
    emitted.mockRestore();
    for (const redis of [...clients, ...old]) redis.disconnect();
  }
});
