/**
 * Runs once when the server starts: the kit's migrations before the first request, and a stop
 * with the kit's CONFIGURATION message when the app cannot work (no DATABASE_URL in production).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") await (await import("./lib/startup")).startup();
}
