import type { IncomingMessage, ServerResponse } from "node:http";
import { listenOnLoopback, readBody, type RunningServer } from "./httpServer";

/** The Next.js API route request that NextAuth v3's handler reads. */
interface NextApiRequestLike extends IncomingMessage {
  query: Record<string, string | string[]>;
  body: Record<string, unknown>;
  cookies: Record<string, string>;
}

/** The Next.js API route response helpers NextAuth v3's handler calls (it adds `redirect` itself). */
interface NextApiResponseLike extends ServerResponse {
  status(code: number): NextApiResponseLike;
  json(body: unknown): void;
  send(body: unknown): void;
  redirect(url: string): void;
}

/** NextAuth v3's options, as far as these tests use them (the package's own types need `next` and `typeorm`). */
export type NextAuthV3Options = Record<string, unknown>;
type NextAuthV3Handler = (req: NextApiRequestLike, res: NextApiResponseLike, options: NextAuthV3Options) => Promise<void>;

export interface NextAuthV3Server extends RunningServer {
  /** `<origin>/api/auth`, also set as `NEXTAUTH_URL`. */
  baseUrl: string;
}

const BASE_PATH = "/api/auth";

/**
 * Serves next-auth@3's handler over real HTTP on loopback, as Next.js would serve
 * `pages/api/auth/[...nextauth].js`: parsed query (with the `nextauth` catch-all segments), parsed
 * body, parsed cookies, and the response helpers. Sets `NEXTAUTH_URL`, which v3 reads per request.
 * `port` restarts an app on the origin an earlier server had (a redeploy: same cookies, same links).
 */
export async function startNextAuthV3Server(options: NextAuthV3Options, { port = 0 }: { port?: number } = {}): Promise<NextAuthV3Server> {
  let nextAuth: NextAuthV3Handler | undefined;
  const server = await listenOnLoopback((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.statusCode = 500;
      res.end(`server adapter failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  }, port);
  const baseUrl = `${server.origin}${BASE_PATH}`;
  process.env.NEXTAUTH_URL = baseUrl;
  // Loaded after NEXTAUTH_URL is set: v3 warns at load time when it is missing. The package's
  // `exports` map "." to dist/server/index.js, whose export is `{ default: NextAuth }`.
  nextAuth = (require("next-auth-v3") as { default: NextAuthV3Handler }).default;
  return { ...server, baseUrl };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", server.origin);
    if (!nextAuth || !url.pathname.startsWith(`${BASE_PATH}/`)) {
      res.statusCode = 404;
      res.end("not found");
      return;
    }
    const request = req as NextApiRequestLike;
    request.query = { ...Object.fromEntries(url.searchParams), nextauth: url.pathname.slice(BASE_PATH.length + 1).split("/").map(decodeURIComponent) };
    request.body = parseBody(req.headers["content-type"], await readBody(req));
    request.cookies = parseCookies(req.headers.cookie);
    await nextAuth(request, withResponseHelpers(res), options);
  }
}

function parseBody(contentType: string | undefined, raw: Buffer): Record<string, unknown> {
  if (raw.length === 0) return {};
  if (contentType?.startsWith("application/json")) return JSON.parse(raw.toString("utf8")) as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(raw.toString("utf8")));
}

/** Next.js decodes cookie values (v3 encodes them with encodeURIComponent when it sets them). */
function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) cookies[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return cookies;
}

function withResponseHelpers(res: ServerResponse): NextApiResponseLike {
  const r = res as NextApiResponseLike;
  r.status = (code) => {
    r.statusCode = code;
    return r;
  };
  r.json = (body) => {
    r.setHeader("content-type", "application/json; charset=utf-8");
    r.end(JSON.stringify(body));
  };
  r.send = (body) => {
    if (typeof body === "object" && body !== null && !Buffer.isBuffer(body)) return r.json(body);
    r.end(body as string | Buffer);
  };
  r.redirect = (url) => {
    r.statusCode = 307;
    r.setHeader("location", url);
    r.end();
  };
  return r;
}
