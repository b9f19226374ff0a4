import { AdapterError } from "../errors/AdapterError";
import { StatementFailure } from "../persistence/mikro-orm/dialects/Dialect";
import { translateError } from "../persistence/mikro-orm/translateError";

/** How a probe ended: with a value, an error, or nothing before its deadline. */
export type Outcome<T> = { kind: "value"; value: T; latencyMs: number } | { kind: "error"; reason: string; latencyMs: number } | { kind: "timeout"; latencyMs: number };

/** One shared deadline for every probe of a `kit.health()` call, so the whole call settles in time. */
export class Deadline {
  private readonly expired: Promise<"timeout">;
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly ms: number) {
    this.expired = new Promise((resolve) => {
      this.timer = setTimeout(() => resolve("timeout"), ms);
      // A hung service must not keep the process alive once the caller has its answer.
      this.timer.unref();
    });
  }

  /**
   * Runs `work` until the deadline. A late answer is dropped: a probe cannot be cancelled (the
   * driver keeps waiting on its own timeouts), it only stops being waited for.
   */
  async run<T>(work: () => Promise<T>): Promise<Outcome<T>> {
    const start = performance.now();
    const latency = () => Math.round((performance.now() - start) * 10) / 10;
    const answer = work().then(
      (value) => ({ kind: "value" as const, value, latencyMs: latency() }),
      (error: unknown) => ({ kind: "error" as const, reason: reasonOf(error), latencyMs: latency() }),
    );
    const first = await Promise.race([answer, this.expired]);
    return first === "timeout" ? { kind: "timeout", latencyMs: latency() } : first;
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}

/**
 * An error as a short reason: the kit's code and its sanitised message. A database error is
 * classified by its code first; anything else gives its class name only (its message may hold a
 * URL or a value).
 */
export function reasonOf(error: unknown): string {
  if (error instanceof AdapterError || error instanceof StatementFailure || hasDriverCode(error)) {
    const adapterError = translateError(error);
    return `${adapterError.code}: ${adapterError.message}`;
  }
  return error instanceof Error ? `failed (${error.name})` : "failed";
}

function hasDriverCode(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" || typeof code === "number";
}

/** The answer's time as a reason for `timeout`. */
export function timeoutReason(ms: number): string {
  return `no answer within ${ms} ms`;
}
