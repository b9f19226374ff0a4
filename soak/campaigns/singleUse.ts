/**
 * Campaign 1, single use under races: one verification token, created and then used by N callers
 * at the same moment, round after round, through both facades, on a kit with the built-in hashing
 * only and on a kit with `hashVerificationTokens({ pepper }) (session tokens are hashed by the kit in both kits)`.
 *
 * Auth.js: N concurrent `useVerificationToken`. NextAuth v3: N concurrent runs of v3's own flow,
 * `getVerificationRequest` then, when it found the row, `deleteVerificationRequest`.
 * A round must have exactly one winner: two is a double use (a magic link signing in twice),
 * none is a lost token.
 */
import { randomBytes } from "node:crypto";
import { hashVerificationTokens } from "../../plugins";
import { createAdapterKit, type AdapterKit, type VerificationToken } from "../../src";
import { info, loss } from "../report";
import { pool } from "../support/concurrency";
import type { Campaign, CampaignContext } from "../support/context";
import { codeOf, describeError, Tally } from "../support/errors";
import { query } from "../support/postgres";
import { settle } from "../support/settle";

const SECRET = "soak-nextauth-secret";
const PROVIDER = { maxAge: 3600, sendVerificationRequest: () => undefined };
/** Rounds in flight at once: enough to keep the pool busy, few enough that a round's callers meet at the server. */
const PARALLEL_ROUNDS = 2;

type Facade = "authjs" | "legacy";

interface Cell {
  rounds: number;
  doubleUses: number;
  lost: number;
}

export const singleUse: Campaign = async (ctx) => {
  const db = await ctx.databases.create("single_use");
  const setup = createAdapterKit({ database: db.url });
  await setup.synchronize();
  await setup.close();
  const kits: Record<string, AdapterKit> = {
    builtIn: createAdapterKit({ database: db.url }),
    hashing: createAdapterKit({ database: db.url, plugins: [hashVerificationTokens({ pepper: "soak-pepper-0123456789abcdef0123456789abcdef" })] }),
  };
  const errors = new Tally();
  const cells: Record<string, Cell> = {};
  try {
    for (const [kitName, kit] of Object.entries(kits)) {
      for (const facade of ["authjs", "legacy"] as const) {
        const name = `${facade}/${kitName}`;
        ctx.log(`singleUse: ${name}, ${ctx.sizes.singleUseRounds} rounds of ${ctx.sizes.singleUseCallers} callers`);
        cells[name] = await runCell(ctx, kit, facade, name, errors);
      }
    }
  } finally {
    await Promise.all(Object.values(kits).map((k) => k.close()));
  }
  const [left] = await query<{ n: string }>(db.url, "select count(*) as n from verification_tokens");
  await ctx.databases.drop(db);

  const sum = (key: keyof Cell) => Object.values(cells).reduce((a, c) => a + c[key], 0);
  return {
    title: "Single use under races",
    figures: {
      tokenDoubleUses: loss(sum("doubleUses")),
      tokensLost: loss(sum("lost")),
      tokensLeftBehind: loss(Number(left?.n ?? 0)),
      callErrors: loss(errors.total()),
      rounds: info(sum("rounds")),
      callersPerRound: info(ctx.sizes.singleUseCallers),
    },
    details: { cells, errors: errors.counts, errorExamples: errors.examples },
    notes: [
      "tokenDoubleUses: extra winners summed over rounds (a round with 3 winners counts 2); tokensLost: rounds nobody won.",
      "Cells: facade x kit. 'builtIn' is the kit as created (the NextAuth v3 facade always hashes as v3 did; Auth.js tokens are stored as the core sends them); 'hashing' adds hashVerificationTokens({ pepper }) (session tokens are hashed by the kit in both kits).",
      "v3 callers run v3's own flow: getVerificationRequest, then deleteVerificationRequest when it found the row.",
    ],
  };
};

async function runCell(ctx: CampaignContext, kit: AdapterKit, facade: Facade, name: string, errors: Tally): Promise<Cell> {
  const cell: Cell = { rounds: 0, doubleUses: 0, lost: 0 };
  const v3 = await kit.legacy.getAdapter({ secret: SECRET });
  const timeout = ctx.settleTimeoutMs;
  await pool(ctx.sizes.singleUseRounds, PARALLEL_ROUNDS, async (round) => {
    if (performance.now() > ctx.deadline) return;
    const identifier = `${name.replace("/", ".")}.${round}@single-use.example`;
    const token = randomBytes(32).toString("hex");
    const created = await settle(
      () =>
        facade === "authjs"
          ? kit.authjs.createVerificationToken({ identifier, token, expires: new Date(Date.now() + 3_600_000) })
          : // Resolves to the row, though typed `Promise<void>` as v3 declares it.
            (v3.createVerificationRequest(identifier, `https://app.example/verify?token=${token}`, token, SECRET, PROVIDER) as unknown as Promise<VerificationToken>),
      timeout,
    );
    if (created.status !== "ok") {
      errors.add(`create ${created.status === "hung" ? "hung" : codeOf(created.error)}`, created.status === "error" ? describeError(created.error) : name);
      return;
    }
    const use = async () => {
      if (facade === "authjs") return kit.authjs.useVerificationToken({ identifier, token });
      const row = await v3.getVerificationRequest(identifier, token, SECRET, PROVIDER);
      if (row) await v3.deleteVerificationRequest(identifier, token, SECRET, PROVIDER);
      return row;
    };
    const outcomes = await Promise.all(Array.from({ length: ctx.sizes.singleUseCallers }, () => settle(use, timeout)));
    let winners = 0;
    for (const outcome of outcomes) {
      if (outcome.status === "ok") {
        if (outcome.value && outcome.value.identifier === identifier) winners++;
        else if (outcome.value) errors.add("use returned another identifier's row", name);
      } else errors.add(`use ${outcome.status === "hung" ? "hung" : codeOf(outcome.error)}`, outcome.status === "error" ? describeError(outcome.error) : name);
    }
    cell.rounds++;
    if (winners > 1) cell.doubleUses += winners - 1;
    if (winners === 0) cell.lost++;
  });
  return cell;
}
