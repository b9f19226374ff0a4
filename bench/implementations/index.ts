import { floor } from "./floor";
import { kitBare } from "./kitBare";
import { kitCached } from "./kitCached";
import { kitCachedRedis } from "./kitCachedRedis";
import { kitFull, kitFullLines, kitFullPlain } from "./kitFull";
import { pgAdapter } from "./pgAdapter";
import type { Implementation } from "./types";

/** Every contender, in the order each round runs them; the floor first (the ratios' baseline). */
export async function createImplementations(kitUrl: string, pgUrl: string): Promise<Implementation[]> {
  const made: Implementation[] = [];
  try {
    made.push(floor(kitUrl), await pgAdapter(pgUrl), kitBare(kitUrl), kitFull(kitUrl), kitFullPlain(kitUrl), kitFullLines(kitUrl), kitCached(kitUrl), await kitCachedRedis(kitUrl));
    return made;
  } catch (error) {
    await Promise.allSettled(made.map((i) => i.close()));
    throw error;
  }
}

export type { Implementation } from "./types";
