import { appKit } from "@/lib/kit";

export const dynamic = "force-dynamic";

/**
 * Prometheus scrape endpoint: operation durations and errors, and the session cache's hits,
 * misses and bypasses. Labels hold operation names and outcomes only. Serve it to your scraper,
 * not to the internet (put it behind the ingress's allow-list); METRICS_TOKEN, when set, is
 * required as a bearer token.
 */
export async function GET(request: Request): Promise<Response> {
  const token = process.env.METRICS_TOKEN;
  if (token && request.headers.get("authorization") !== `Bearer ${token}`) return new Response("unauthorized\n", { status: 401 });
  const { registry } = appKit().metrics;
  return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType, "cache-control": "no-store" } });
}
