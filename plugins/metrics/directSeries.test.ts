import { Counter, Histogram, Registry } from "prom-client";
import { DirectCounter, DirectHistogram } from "./directSeries";
import { DEFAULT_BUCKETS } from "./prometheus";

/**
 * The same values into two registries, one through prom-client's bound children, one through the
 * direct series: their expositions must be the same text, whatever happens to the metric between
 * updates (reset, remove, zero).
 */
function pair() {
  const make = () => {
    const registry = new Registry();
    const histogram = new Histogram({ name: "d_seconds", help: "h", labelNames: ["operation", "outcome"] as const, buckets: [...DEFAULT_BUCKETS], registers: [registry] });
    const counter = new Counter({ name: "c_total", help: "c", labelNames: ["result"] as const, registers: [registry] });
    return { registry, histogram, counter };
  };
  const plain = make();
  const direct = make();
  const labels = { operation: "getSessionAndUser", outcome: "ok" };
  const plainChild = plain.histogram.labels(labels);
  const directSeries = new DirectHistogram(direct.histogram, direct.histogram.labels(labels), labels);
  const plainHit = plain.counter.labels({ result: "hit" });
  const directHit = new DirectCounter(direct.counter, direct.counter.labels({ result: "hit" }), { result: "hit" });
  return {
    plain,
    direct,
    observe(value: number) {
      plainChild.observe(value);
      directSeries.observe(value);
    },
    hit() {
      plainHit.inc();
      directHit.inc();
    },
    both(change: (m: { histogram: Histogram<"operation" | "outcome">; counter: Counter<"result"> }) => void) {
      change(plain);
      change(direct);
    },
  };
}

/** Values in every bucket, on a bound, above the last bound, and zero. */
const VALUES = [0, 0.0000021, 0.0005, 0.00051, 0.003, 0.01, 0.7, 2.5, 4.99, 5, 6, 120];

describe("direct series", () => {
  test("give the exposition prom-client's own observe and inc give, before and after reset, remove and zero", async () => {
    const p = pair();
    for (const v of VALUES) p.observe(v);
    for (let i = 0; i < 5; i++) p.hit();
    const first = await p.direct.registry.metrics();
    expect(first).toBe(await p.plain.registry.metrics());
    expect(first).toContain('d_seconds_count{operation="getSessionAndUser",outcome="ok"} 12');
    expect(first).toContain('c_total{result="hit"} 5');

    p.both((m) => m.histogram.reset());
    p.both((m) => m.counter.reset());
    for (const v of VALUES.slice(3)) p.observe(v);
    p.hit();
    const afterReset = await p.direct.registry.metrics();
    expect(afterReset).toBe(await p.plain.registry.metrics());
    expect(afterReset).toContain('d_seconds_count{operation="getSessionAndUser",outcome="ok"} 9');
    expect(afterReset).toContain('c_total{result="hit"} 1');

    p.both((m) => m.histogram.remove({ operation: "getSessionAndUser", outcome: "ok" }));
    p.both((m) => m.counter.remove({ result: "hit" }));
    p.observe(0.002);
    p.hit();
    p.hit();
    expect(await p.direct.registry.metrics()).toBe(await p.plain.registry.metrics());

    p.both((m) => m.histogram.zero({ operation: "getSessionAndUser", outcome: "ok" }));
    p.observe(0.02);
    p.observe(0.02);
    const afterZero = await p.direct.registry.metrics();
    expect(afterZero).toBe(await p.plain.registry.metrics());
    expect(afterZero).toContain('d_seconds_count{operation="getSessionAndUser",outcome="ok"} 2');
  });

  test("a non-finite value is refused as prom-client refuses it, and nothing is recorded", async () => {
    const p = pair();
    p.observe(0.001);
    const labels = { operation: "getSessionAndUser", outcome: "ok" };
    const series = new DirectHistogram(p.direct.histogram, p.direct.histogram.labels(labels), labels);
    expect(() => series.observe(Number.NaN)).toThrow(TypeError);
    expect(await p.direct.registry.metrics()).toBe(await p.plain.registry.metrics());
  });

  test("a metric whose records have another shape is only updated through the child", () => {
    const observed: number[] = [];
    let increments = 0;
    // Records under other names: what a prom-client that changed its internals might hold.
    const histogramLike = { hashMap: { k: { labels: { operation: "x" }, total: 0 } }, upperBounds: [1] };
    const counterLike = { hashMap: { k: { labels: { result: "hit" }, n: 0 } } };
    const h = new DirectHistogram(histogramLike, { observe: (v) => observed.push(v) }, { operation: "x" });
    const c = new DirectCounter(counterLike, { inc: () => increments++ }, { result: "hit" });
    for (let i = 0; i < 3; i++) {
      h.observe(i);
      c.inc();
    }
    expect(observed).toEqual([0, 1, 2]);
    expect(increments).toBe(3);
    expect(histogramLike.hashMap.k).toEqual({ labels: { operation: "x" }, total: 0 });
    expect(counterLike.hashMap.k).toEqual({ labels: { result: "hit" }, n: 0 });
  });
});
