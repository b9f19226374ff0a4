/**
 * A clock comparable across processes on one machine, with sub-millisecond resolution: the
 * wall-clock time the process started plus the monotonic time since. Two processes agree to within
 * microseconds unless the wall clock was stepped between their starts (process.hrtime alone is
 * per process; Date.now() alone has only millisecond resolution).
 */
export function sharedNow(): number {
  return performance.timeOrigin + performance.now();
}
