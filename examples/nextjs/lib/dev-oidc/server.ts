/**
 * A minimal OpenID Connect provider for development and the browser test, on loopback only:
 * discovery, authorize (approves at once, as its one test user), token (authorization code with
 * PKCE S256 and a client secret), JWKS and userinfo. It exists so the example can show OAuth
 * sign-in and account linking without an account at a real provider. Never run it in production:
 * it signs anyone in.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { SigningKey, s256 } from "./jwt";

export interface DevOidcUser {
  sub: string;
  /** Left out, the provider sends no e-mail claims (as X and some OIDC set-ups do). */
  email?: string;
  name: string;
}

/** The user's e-mail claims, or none when the user has no e-mail. */
const emailClaims = (user: DevOidcUser) => (user.email === undefined ? {} : { email: user.email, email_verified: true });

export interface DevOidcOptions {
  clientId: string;
  clientSecret: string;
  /** The one redirect URI the client registered; anything else is refused. */
  redirectUri: string;
  user: DevOidcUser;
  /** 0 picks a free port. */
  port: number;
}

interface PendingCode {
  redirectUri: string;
  challenge: string | undefined;
  nonce: string | undefined;
  scope: string;
  expiresAt: number;
}

const CODE_TTL_MS = 60_000;
const TOKEN_TTL_S = 3600;

export interface RunningDevOidc {
  issuer: string;
  close(): Promise<void>;
}

export async function startDevOidc(options: DevOidcOptions): Promise<RunningDevOidc> {
  const key = new SigningKey();
  const codes = new Map<string, PendingCode>();
  const accessTokens = new Map<string, number>();
  let issuer = "";

  const handlers: Record<string, (req: IncomingMessage, url: URL, res: ServerResponse) => Promise<void> | void> = {
    "GET /.well-known/openid-configuration": (_req, _url, res) =>
      json(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        userinfo_endpoint: `${issuer}/userinfo`,
        response_types_supported: ["code"],
        grant_types_supported: ["authorization_code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        scopes_supported: ["openid", "email", "profile"],
        token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
        code_challenge_methods_supported: ["S256"],
        claims_supported: ["sub", "email", "email_verified", "name"],
      }),

    "GET /jwks": (_req, _url, res) => json(res, 200, key.jwks()),

    "GET /authorize": (_req, url, res) => {
      const q = url.searchParams;
      // Errors before the redirect URI is trusted are shown here, never redirected (open redirect).
      if (q.get("client_id") !== options.clientId) return json(res, 400, { error: "invalid_client" });
      if (q.get("redirect_uri") !== options.redirectUri) return json(res, 400, { error: "invalid_request", error_description: "redirect_uri is not registered" });
      const back = new URL(options.redirectUri);
      const state = q.get("state");
      if (state !== null) back.searchParams.set("state", state);
      back.searchParams.set("iss", issuer);
      const challenge = q.get("code_challenge") ?? undefined;
      if (q.get("response_type") !== "code" || (challenge && q.get("code_challenge_method") !== "S256")) {
        back.searchParams.set("error", "unsupported_response_type");
      } else {
        const code = randomBytes(24).toString("base64url");
        codes.set(code, { redirectUri: options.redirectUri, challenge, nonce: q.get("nonce") ?? undefined, scope: q.get("scope") ?? "openid", expiresAt: Date.now() + CODE_TTL_MS });
        back.searchParams.set("code", code);
      }
      res.writeHead(302, { location: back.toString(), "cache-control": "no-store" }).end();
    },

    "POST /token": async (req, _url, res) => {
      const form = new URLSearchParams(await body(req));
      const [id, secret] = clientCredentials(req, form);
      if (id !== options.clientId || !same(secret, options.clientSecret)) return json(res, 401, { error: "invalid_client" });
      const code = form.get("code") ?? "";
      const pending = codes.get(code);
      codes.delete(code); // single use, whatever happens next
      if (form.get("grant_type") !== "authorization_code" || !pending || pending.expiresAt < Date.now() || form.get("redirect_uri") !== pending.redirectUri) {
        return json(res, 400, { error: "invalid_grant" });
      }
      if (pending.challenge && s256(form.get("code_verifier") ?? "") !== pending.challenge) return json(res, 400, { error: "invalid_grant", error_description: "PKCE" });
      const now = Math.floor(Date.now() / 1000);
      const accessToken = randomBytes(24).toString("base64url");
      accessTokens.set(accessToken, Date.now() + TOKEN_TTL_S * 1000);
      const idToken = key.sign({
        iss: issuer,
        sub: options.user.sub,
        aud: options.clientId,
        iat: now,
        exp: now + TOKEN_TTL_S,
        ...(pending.nonce && { nonce: pending.nonce }),
        ...emailClaims(options.user),
        name: options.user.name,
      });
      json(res, 200, { access_token: accessToken, token_type: "Bearer", expires_in: TOKEN_TTL_S, id_token: idToken, scope: pending.scope });
    },

    "GET /userinfo": (req, _url, res) => {
      const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? "";
      const until = accessTokens.get(token);
      if (!until || until < Date.now()) return json(res, 401, { error: "invalid_token" });
      json(res, 200, { sub: options.user.sub, ...emailClaims(options.user), name: options.user.name });
    },
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    const handler = handlers[`${req.method} ${url.pathname}`];
    if (!handler) return json(res, 404, { error: "not_found" });
    Promise.resolve(handler(req, url, res)).catch(() => json(res, 500, { error: "server_error" }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  // Never keeps the app's process alive on its own.
  server.unref();
  return { issuer, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function json(res: ServerResponse, status: number, value: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(value));
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      text += chunk;
      if (text.length > 16_384) req.destroy(new Error("body too large"));
    });
    req.on("end", () => resolve(text));
    req.on("error", reject);
  });
}

/** client_secret_basic, or client_secret_post. */
function clientCredentials(req: IncomingMessage, form: URLSearchParams): [string, string] {
  const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
  if (basic) {
    const [id = "", secret = ""] = Buffer.from(basic, "base64").toString().split(":").map((part) => decodeURIComponent(part));
    return [id, secret];
  }
  return [form.get("client_id") ?? "", form.get("client_secret") ?? ""];
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
