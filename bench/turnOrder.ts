/**
 * The order in which `n` contenders take their turns in one pass of a call-by-call round: a
 * shuffle seeded by `seed` (the same seed, the same order, so a run can be repeated).
 *
 * Why not the same order with the starting contender rotated: then each contender runs right after
 * the same other one in all but one pass of `n`, and that one leaves the shared code (the driver,
 * the kit's plugins) warm or cold for it, the same way every time. Kit full ran after kit bare,
 * kit full -secrets after kit full, whose plugins it shares: a bias of its own in every ratio.
 */
export function turnOrder(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  const random = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** A small seeded generator (Mulberry32): enough to shuffle a handful of contenders evenly. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
