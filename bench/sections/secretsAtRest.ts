import { randomBytes, randomUUID } from "node:crypto";
import { encryptAccountTokens } from "../../plugins";
import { createAdapterKit, type AdapterAccount, type AdapterKit } from "../../src";
import type { BenchDatabases } from "../setup/databases";
import { median } from "../stats";

export interface SecretsAtRestResult {
  opsPerRound: number;
  rounds: number;
  /** Per operation: median µs per call without protection and with it (same database, interleaved rounds). */
  rows: Array<{ operation: string; plainUs: number; protectedUs: number }>;
}

const SECRET = randomBytes(32).toString("base64");
const KEY = { id: "bench", key: randomBytes(32) };
const inADay = () => new Date(Date.now() + 86_400_000);

/**
 * What issue 11's protections cost on PostgreSQL, each against the same kit without it:
 * `encryptAccountTokens` on `linkAccount` (three AES-GCM encryptions) and `getAccount` (three
 * decryptions), and hashed session tokens on `getSessionAndUser` (one HMAC). Rounds alternate
 * plain and protected so drift hits both alike.
 */
export async function measureSecretsAtRest(databases: BenchDatabases, ops: number, rounds: number): Promise<SecretsAtRestResult> {
  const db = await databases.create("atrest");
  const setup = createAdapterKit({ database: db.url, synchronize: true, secret: SECRET });
  await setup.synchronize();
  await setup.close();
  const plain = createAdapterKit({ database: db.url, sessionTokens: "raw" });
  const hashed = createAdapterKit({ database: db.url, secret: SECRET });
  const encrypted = createAdapterKit({ database: db.url, sessionTokens: "raw", plugins: [encryptAccountTokens({ keys: [KEY] })] });
  try {
    const user = await plain.authjs.createUser({ email: `bench-${randomUUID()}@example.com`, emailVerified: null });
    const account = (i: string): AdapterAccount => ({
      userId: user.id,
      type: "oauth",
      provider: "github",
      providerAccountId: `gh-${i}`,
      access_token: `gho_${randomBytes(20).toString("hex")}`,
      refresh_token: `ghr_${randomBytes(30).toString("hex")}`,
      id_token: `eyJ${randomBytes(300).toString("base64url")}`,
      token_type: "bearer",
      scope: "read:user",
      expires_at: 2_000_000_000,
    });
    // Sessions each kit can find: raw ones for the plain kit, hashed ones for the hashed kit.
    const sessions = async (kit: AdapterKit) => {
      const tokens: string[] = [];
      for (let i = 0; i < ops; i++) {
        const sessionToken = randomUUID();
        await kit.authjs.createSession({ sessionToken, userId: user.id, expires: inADay() });
        tokens.push(sessionToken);
      }
      return tokens;
    };
    const [rawTokens, hashedTokens] = [await sessions(plain), await sessions(hashed)];

    const samples: Record<string, { plain: number[]; protected: number[] }> = {};
    const timed = async (operation: string, side: "plain" | "protected", fn: (i: number) => Promise<unknown>) => {
      const started = process.hrtime.bigint();
      for (let i = 0; i < ops; i++) await fn(i);
      ((samples[operation] ??= { plain: [], protected: [] })[side]).push(Number(process.hrtime.bigint() - started) / ops / 1000);
    };
    for (let r = 0; r <= rounds; r++) {
      const linked: Record<"plain" | "protected", AdapterAccount[]> = { plain: [], protected: [] };
      for (const [side, kit] of [["plain", plain], ["protected", encrypted]] as const) {
        await timed("linkAccount", side, async (i) => linked[side].push((await kit.authjs.linkAccount(account(`${side}-${r}-${i}`)))!));
        await timed("getAccount", side, (i) => kit.authjs.getAccount!(linked[side][i]!.providerAccountId, "github"));
      }
      await timed("getSessionAndUser", "plain", (i) => plain.authjs.getSessionAndUser(rawTokens[i]!));
      await timed("getSessionAndUser", "protected", (i) => hashed.authjs.getSessionAndUser(hashedTokens[i]!));
    }
    // Round 0 warmed up the JIT and the prepared statements: not counted.
    return {
      opsPerRound: ops,
      rounds,
      rows: Object.entries(samples).map(([operation, s]) => ({ operation, plainUs: median(s.plain.slice(1)), protectedUs: median(s.protected.slice(1)) })),
    };
  } finally {
    await Promise.allSettled([plain.close(), hashed.close(), encrypted.close()]);
  }
}
