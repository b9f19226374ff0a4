/**
 * Campaign 4's steady load: callers that each own a few users, so the right answer to every call
 * is known, judged call by call: the right data, or AdapterError DATABASE_UNAVAILABLE with a
 * cause, within the hung-call threshold.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { AdapterError, ErrorCode, type AdapterKit, type LegacyMethods } from "../../src";
import type { CampaignContext } from "./context";
import { describeError, type Tally } from "./errors";
import { settle, sleep } from "./settle";

export const USERS_PER_CALLER = 4;

export interface OwnedUser {
  id: string;
  email: string;
  /** Names the row may hold: one, or two while a rename's outcome is unknown (it failed as unavailable). */
  names: Set<string>;
  sessionToken: string;
  providerAccountId: string;
}

export interface Counters {
  calls: number;
  ok: number;
  unavailable: number;
  hung: number;
  maxCallMs: number;
  /** Calls that took over a second to settle: op, outcome, ms, ms since the latest fault began. */
  slow: string[];
  slowCount: number;
}

/** What every caller shares. */
export interface LoadContext {
  ctx: CampaignContext;
  kit: AdapterKit;
  v3: LegacyMethods;
  counters: Counters;
  wrong: Tally;
  /** createSession calls that returned: their rows must exist afterwards. */
  createdSessions: string[];
  onSuccess(started: number, ended: number): void;
  running(): boolean;
  /** When the latest fault began (performance.now()). */
  lastFault(): number | undefined;
}

/** Each caller's users, with a session and a GitHub account each. */
export async function seedOwners(kit: AdapterKit, callers: number): Promise<OwnedUser[][]> {
  return Promise.all(
    Array.from({ length: callers }, async (_, c) => {
      const users: OwnedUser[] = [];
      for (let u = 0; u < USERS_PER_CALLER; u++) {
        const user = await kit.authjs.createUser({ email: `c${c}.u${u}@faults.example`, emailVerified: null, name: "n0" });
        const sessionToken = randomBytes(32).toString("hex");
        await kit.authjs.createSession({ sessionToken, userId: user.id, expires: new Date(Date.now() + 3_600_000) });
        const providerAccountId = `gh-${c}-${u}`;
        await kit.authjs.linkAccount({ userId: user.id, type: "oauth", provider: "github", providerAccountId });
        users.push({ id: user.id, email: user.email, names: new Set(["n0"]), sessionToken, providerAccountId });
      }
      return users;
    }),
  );
}

type Check = (value: unknown) => string | undefined;

export async function callerLoop(load: LoadContext, users: OwnedUser[]): Promise<void> {
  const { ctx, kit, v3, counters, wrong, createdSessions, onSuccess, running, lastFault } = load;
  let n = 0;
  /** One call: returns true when it succeeded with the right data. */
  const call = async (op: string, fn: () => Promise<unknown>, verify: Check): Promise<{ ok: boolean; value?: unknown; unavailable?: boolean }> => {
    const started = performance.now();
    const fault = lastFault();
    const outcome = await settle(fn, ctx.settleTimeoutMs);
    counters.calls++;
    counters.maxCallMs = Math.max(counters.maxCallMs, outcome.ms);
    if (outcome.ms > 1000) {
      counters.slowCount++;
      const since = fault === undefined ? "started before any fault" : `started ${Math.round(started - fault)} ms after the latest fault began`;
      const how = outcome.status === "error" ? describeError(outcome.error).slice(0, 160) : outcome.status;
      if (counters.slow.length < 10) counters.slow.push(`${op}: ${Math.round(outcome.ms)} ms, ${how}, ${since}`);
    }
    if (outcome.status === "hung") {
      counters.hung++;
      // Its outcome is unknown (it may still commit): treated like an unavailable database.
      return { ok: false, unavailable: true };
    }
    if (outcome.status === "error") {
      const e = outcome.error;
      if (AdapterError.is(e, ErrorCode.DATABASE_UNAVAILABLE) && e.cause !== undefined && e.cause !== null) {
        counters.unavailable++;
        await sleep(5); // no hot spin while the database is away
        return { ok: false, unavailable: true };
      }
      wrong.add(`${op} threw`, describeError(e));
      await sleep(5);
      return { ok: false };
    }
    const problem = verify(outcome.value);
    if (problem) {
      wrong.add(`${op} wrong result`, problem);
      return { ok: false };
    }
    counters.ok++;
    onSuccess(started, performance.now());
    return { ok: true, value: outcome.value };
  };

  while (running()) {
    const user = users[n % users.length]!;
    const step = n++ % 9;
    const isUser = (u: unknown) => {
      const v = u as { id?: string; email?: string; name?: string } | null;
      if (!v || v.id !== user.id || v.email !== user.email) return `expected user ${user.id}, got ${JSON.stringify(v)?.slice(0, 200)}`;
      if (!user.names.has(v.name ?? "")) return `user ${user.id}: name ${v.name} not in ${[...user.names].join("|")}`;
      return undefined;
    };
    switch (step) {
      case 0:
        await call("getSessionAndUser", () => kit.authjs.getSessionAndUser(user.sessionToken), (r) => {
          const v = r as { session?: { userId?: string; sessionToken?: string }; user?: unknown } | null;
          return v?.session?.userId === user.id && v.session.sessionToken === user.sessionToken ? isUser(v.user) : `session: ${JSON.stringify(v)?.slice(0, 200)}`;
        });
        break;
      case 1:
        await call("getUser", () => kit.authjs.getUser(user.id), isUser);
        break;
      case 2:
        await call("getUserByAccount", () => kit.authjs.getUserByAccount({ provider: "github", providerAccountId: user.providerAccountId }), isUser);
        break;
      case 3: {
        const name = `n${n}`;
        const result = await call("updateUser", () => kit.authjs.updateUser({ id: user.id, name }), (r) => ((r as { name?: string })?.name === name ? undefined : `rename returned ${JSON.stringify(r)?.slice(0, 200)}`));
        if (result.ok) user.names = new Set([name]);
        else if (result.unavailable) user.names.add(name); // may or may not have committed (or still may)
        break;
      }
      case 4: {
        const sessionToken = randomUUID();
        const result = await call("createSession", () => kit.authjs.createSession({ sessionToken, userId: user.id, expires: new Date(Date.now() + 3_600_000) }), (r) =>
          (r as { sessionToken?: string })?.sessionToken === sessionToken ? undefined : `createSession returned ${JSON.stringify(r)?.slice(0, 200)}`,
        );
        if (result.ok) createdSessions.push(sessionToken);
        break;
      }
      case 5: {
        const identifier = user.email;
        const token = randomBytes(16).toString("hex");
        const created = await call("createVerificationToken", () => kit.authjs.createVerificationToken({ identifier, token, expires: new Date(Date.now() + 600_000) }), (r) =>
          (r as { token?: string })?.token === token ? undefined : "createVerificationToken returned another token",
        );
        if (created.ok) {
          await call("useVerificationToken", () => kit.authjs.useVerificationToken({ identifier, token }), (r) =>
            (r as { token?: string } | null)?.token === token ? undefined : `useVerificationToken of a fresh token returned ${JSON.stringify(r)}`,
          );
        }
        break;
      }
      case 6:
        await call("v3 getSession", () => v3.getSession(user.sessionToken), (r) =>
          (r as { userId?: string } | null)?.userId === user.id ? undefined : `v3 getSession returned ${JSON.stringify(r)?.slice(0, 200)}`,
        );
        break;
      case 7:
        await call("v3 getUserByEmail", () => v3.getUserByEmail(user.email), isUser);
        break;
      default:
        await call("getAccount", () => kit.authjs.getAccount(user.providerAccountId, "github"), (r) =>
          (r as { userId?: string } | null)?.userId === user.id ? undefined : `getAccount returned ${JSON.stringify(r)?.slice(0, 200)}`,
        );
    }
  }
}
