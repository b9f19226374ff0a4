import { createHmac, randomBytes } from "node:crypto";
import { HmacSha256 } from "../../src/kernel/hmacSha256";

const reference = (key: Buffer, input: string) => createHmac("sha256", key).update(input).digest("base64url");

describe("HmacSha256", () => {
  test("gives createHmac's bytes for tokens of every length up to and past its buffer, in any script", () => {
    const key = randomBytes(32);
    const hmac = new HmacSha256(key);
    const inputs = ["", "a", "ü", "€", "😀", "\ud800", "x\udfffy", "nul\u0000byte"];
    for (let n = 0; n <= 400; n += 7) inputs.push(randomBytes(n).toString("base64url").slice(0, n), "é€😀".repeat(n).slice(0, n));
    for (const input of inputs) expect([input.length, hmac.base64url(input)]).toEqual([input.length, reference(key, input)]);
  });

  test("keys of any length: shorter than a block, exactly one, longer (hashed first, as HMAC says)", () => {
    for (const size of [1, 16, 32, 63, 64, 65, 200]) {
      const key = randomBytes(size);
      expect(new HmacSha256(key).base64url("session-token")).toBe(reference(key, "session-token"));
    }
  });

  test("a call never sees the previous input: a long token, then a short one, then the long one again", () => {
    const key = randomBytes(32);
    const hmac = new HmacSha256(key);
    const long = "L".repeat(300);
    const short = "s";
    expect(hmac.base64url(long)).toBe(reference(key, long));
    expect(hmac.base64url(short)).toBe(reference(key, short));
    expect(hmac.base64url(long)).toBe(reference(key, long));
  });
});
