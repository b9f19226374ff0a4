/** Network stand-ins for a sick service: a TCP server that accepts and never answers, and a closed port. */
import { connect, createServer, type Socket } from "node:net";
import { freePort } from "./redisServer";

export interface SilentServer {
  port: number;
  /** How many connections it accepted (so a test knows the client really got through). */
  readonly accepted: number;
  close(): Promise<void>;
}

/** Accepts every connection and never writes a byte: a frozen database or Redis. */
export function startSilentServer(): Promise<SilentServer> {
  // A black hole that is never told to forward.
  return startBlackHoleProxy(0);
}

/** A loopback port nothing listens on (connections are refused). */
export function closedPort(): Promise<number> {
  return freePort();
}

export interface BlackHoleProxy extends SilentServer {
  /** From now on, new connections reach `targetPort` (the held ones stay silent, as after a failover). */
  forward(): void;
}

/**
 * A database address that first swallows connections (a primary lost without a reset, a moved
 * address) and, once `forward()` is called, hands new ones to the real server on `targetPort`.
 */
export async function startBlackHoleProxy(targetPort: number): Promise<BlackHoleProxy> {
  let forwarding = false;
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
    if (!forwarding) return;
    const upstream = connect(targetPort, "127.0.0.1");
    sockets.add(upstream);
    upstream.on("error", () => socket.destroy());
    upstream.on("close", () => sockets.delete(upstream));
    socket.on("close", () => upstream.destroy());
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (!address || typeof address !== "object") throw new Error("proxy has no port");
  return {
    port: address.port,
    get accepted() {
      return accepted;
    },
    forward: () => {
      forwarding = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
