/** How the bench's reports write numbers; "-" for a figure that was not measured (NaN). */

/** Rounded, with thousands separators: 1,150. */
export const int = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "-");

/** `d` decimals. */
export const fixed = (n: number, d = 1): string => (Number.isFinite(n) ? n.toFixed(d) : "-");
