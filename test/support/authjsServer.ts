import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuthConfig } from "@auth/core";
import { listenOnLoopback, readBody, type RunningServer } from "./httpServer";

/**
 * Serves Auth.js (`@auth/core`'s `Auth()`) over real HTTP on loopback, the way a framework
 * integration does: node request -> web `Request` -> `Auth(request, config)` -> node response.
 */
export async function startAuthjsServer(config: Omit<AuthConfig, "raw">): Promise<RunningServer> {
  // @auth/core is ESM-only; under jest (and swc-node) this becomes a require() of the transformed module.
  const { Auth } = await import("@auth/core");
  return listenOnLoopback((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(`server adapter failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? "127.0.0.1";
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
    }
    const method = req.method ?? "GET";
    const body = method === "GET" || method === "HEAD" ? undefined : new Uint8Array(await readBody(req));
    const response = await Auth(new Request(new URL(req.url ?? "/", `http://${host}`), { method, headers, body }), config);

    res.statusCode = response.status;
    response.headers.forEach((value, name) => {
      if (name !== "set-cookie") res.setHeader(name, value);
    });
    // Several cookies must stay several headers (Headers.forEach would join them with commas).
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) res.setHeader("set-cookie", cookies);
    res.end(Buffer.from(await response.arrayBuffer()));
  }
}
