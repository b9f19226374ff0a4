/**
 * Process-level failures (an unhandled rejection, an uncaught exception) counted instead of
 * crashing the soak, so the campaign that caused them reports them.
 */
const faults: string[] = [];

export function watchProcessFaults(): void {
  process.on("unhandledRejection", (reason) => {
    faults.push(`unhandledRejection: ${reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)}`.slice(0, 300));
  });
  process.on("uncaughtException", (error) => {
    faults.push(`uncaughtException: ${error.name}: ${error.message}`.slice(0, 300));
  });
}

/** How many faults so far (pass it to `faultsSince` later). */
export function faultMark(): number {
  return faults.length;
}

export function faultsSince(mark: number): string[] {
  return faults.slice(mark);
}
