/**
 * Serves next-auth@3's handler over HTTP on loopback, the way Next.js serves
 * `pages/api/auth/[...nextauth].js`: v3 reads `req.query.nextauth`, `req.body` and `req.cookies`
 * and calls `res.status().json()`, `res.send()` and `res.redirect()`, so we provide those.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

const BASE_PATH = "/api/auth";

type NextAuthV3Options = Record<string, unknown>;
type Handler = (req: IncomingMessage, res: ServerResponse, options: NextAuthV3Options) => Promise<void>;

export interface RunningNextAuth {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  close(): Promise<void>;
}

export async function serveNextAuthV3(options: NextAuthV3Options): Promise<RunningNextAuth> {
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // v3 builds its links from NEXTAUTH_URL (read per request); set it before loading the package.
  process.env.NEXTAUTH_URL = `${origin}${BASE_PATH}`;
  // The package's main export is `{ default: NextAuth }` (installed here under the alias next-auth-v3).
  const nextAuth = (require("next-auth-v3") as { default: Handler }).default;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", origin);
    if (!url.pathname.startsWith(`${BASE_PATH}/`)) {
      res.statusCode = 404;
      res.end();
      return;
    }
    let raw = "";
    for await (const chunk of req) raw += chunk;
    Object.assign(req, {
      query: { ...Object.fromEntries(url.searchParams), nextauth: url.pathname.slice(BASE_PATH.length + 1).split("/") },
      body: Object.fromEntries(new URLSearchParams(raw)),
      cookies: parseCookies(req.headers.cookie),
    });
    await nextAuth(req, withNextHelpers(res), options);
  }

  return {
    origin,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections(); // fetch keeps connections alive
      server.close((error) => (error ? reject(error) : resolve()));
    }),
  };
}

/** Next.js hands API routes their cookies parsed and decoded (v3 encodes the values it sets). */
function parseCookies(header = ""): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) cookies[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return cookies;
}

/** The Next.js response helpers v3 calls. */
function withNextHelpers(res: ServerResponse): ServerResponse {
  const json = (body: unknown) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(body));
  };
  return Object.assign(res, {
    status: (code: number) => Object.assign(res, { statusCode: code }),
    json,
    send: (body: unknown) => (typeof body === "object" && body !== null ? json(body) : res.end(body as string)),
    redirect: (location: string) => {
      res.writeHead(307, { location });
      res.end();
    },
  });
}
