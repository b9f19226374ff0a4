/** Bounded waiting: every call the soak makes is raced against a stated timeout, so a hang is counted, not waited out. */

export type Settled<T> =
  | { status: "ok"; value: T; ms: number }
  | { status: "error"; error: unknown; ms: number }
  | { status: "hung"; ms: number };

/**
 * Runs `call` and reports how it settled within `timeoutMs`. A synchronous throw counts as an
 * error. A call that did not settle in time is reported "hung"; its promise is left running
 * (and observed, so a late rejection is not unhandled).
 */
export async function settle<T>(call: () => Promise<T>, timeoutMs: number): Promise<Settled<T>> {
  const started = performance.now();
  let promise: Promise<T>;
  try {
    promise = Promise.resolve(call());
  } catch (error) {
    return { status: "error", error, ms: performance.now() - started };
  }
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<"hung">((resolve) => {
    timer = setTimeout(() => resolve("hung"), timeoutMs);
  });
  try {
    const outcome = await Promise.race([
      promise.then(
        (value) => ({ status: "ok" as const, value }),
        (error: unknown) => ({ status: "error" as const, error }),
      ),
      hung,
    ]);
    const ms = performance.now() - started;
    if (outcome === "hung") {
      promise.catch(() => undefined);
      return { status: "hung", ms };
    }
    return { ...outcome, ms };
  } finally {
    clearTimeout(timer);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
