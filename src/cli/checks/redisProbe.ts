import { optionalPeer } from "../../kernel/optionalPeer";
import type { ProbeResult } from "../../health/types";

interface Client {
  status: string;
  connect(): Promise<void>;
  ping(): Promise<unknown>;
  disconnect(): void;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

/**
 * Pings a Redis the app configures by URL (REDIS_URL or --redis) when no plugin of the kit owns a
 * client: one connection, no retries, settled within `timeoutMs`.
 */
export async function probeRedisUrl(url: string, timeoutMs: number): Promise<ProbeResult> {
  const Redis = optionalPeer<new (url: string, options: object) => Client>("ioredis", "checking REDIS_URL", () => require("ioredis"));
  const client = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, commandTimeout: timeoutMs, retryStrategy: () => null });
  // ioredis prints unhandled "error" events itself, with the host in them.
  client.on("error", () => undefined);
  const started = performance.now();
  const latency = () => Math.round((performance.now() - started) * 10) / 10;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
  try {
    const answer = await Promise.race([client.connect().then(() => client.ping()).then(() => "up" as const), late]);
    return answer === "up" ? { state: "up", latencyMs: latency() } : { state: "timeout", latencyMs: latency(), reason: `no answer within ${timeoutMs} ms` };
  } catch (error) {
    // The error's code only: ioredis messages name the host and port.
    const code = (error as { code?: unknown }).code;
    const reason = typeof code === "string" ? `Redis refused the connection (${code})` : /timeout/i.test(error instanceof Error ? error.message : "") ? `no answer within ${timeoutMs} ms` : "Redis did not answer";
    return { state: "down", latencyMs: latency(), reason };
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}
