/**
 * The bench's call-by-call order (bench/turnOrder.ts): every pass is a permutation, the same seed
 * gives the same order, and over many passes each contender runs right after every other one about
 * equally often (a rotated start left each one after the same other one in 7 passes of 8).
 */
import { turnOrder } from "../../bench/turnOrder";

test("each pass is a permutation, repeatable from its seed", () => {
  for (let seed = 0; seed < 200; seed++) {
    const order = turnOrder(8, seed);
    expect([...order].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(turnOrder(8, seed)).toEqual(order);
  }
  expect(new Set(Array.from({ length: 50 }, (_, seed) => turnOrder(8, seed).join())).size).toBeGreaterThan(40);
});

test("over a round's passes, every contender follows every other one about equally often", () => {
  const n = 8;
  const passes = 800; // a full run's getSessionAndUser round
  const after = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  let previous: number | undefined;
  for (let k = 0; k < passes; k++) {
    for (const x of turnOrder(n, 1600 + k)) {
      if (previous !== undefined) after[x]![previous]!++;
      previous = x;
    }
  }
  const expected = (passes * n - 1) / (n * (n - 1));
  for (let x = 0; x < n; x++) {
    for (let y = 0; y < n; y++) {
      if (x === y) continue;
      expect(after[x]![y]!).toBeGreaterThan(expected * 0.6);
      expect(after[x]![y]!).toBeLessThan(expected * 1.4);
    }
  }
});
