import { devToolsEnabled, isProduction } from "./config";
import { readyKit } from "./kit";

/** Node runtime only: migrations before the first request, or a stop with the kit's error. */
export async function startup(): Promise<void> {
  try {
    await readyKit();
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    console.error(`[auth] cannot start: ${code ?? "ERROR"}: ${message ?? String(error)}`);
    process.exit(1);
  }
  if (isProduction && devToolsEnabled()) {
    console.warn("[auth] AUTH_DEV_TOOLS=1: the development mailbox and test OIDC provider are ON (loopback only). Never in a deployment.");
  }
}
