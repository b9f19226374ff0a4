import { domainToASCII } from "node:url";

/**
 * What the kit keeps of an e-mail provider's error (the `cause` of DELIVERY_FAILED). A provider's
 * error tends to quote what it was sending: nodemailer's "550 5.1.1 <alice@example.com>: Recipient
 * address rejected" and its `response`, `rejected` and `envelope`, or a custom provider's message
 * with the sign-in link. Error trackers and loggers follow `cause`, so it carries the provider's
 * message with every value the kit handed the provider replaced by a placeholder, and only the
 * fields that say what failed (nodemailer's `code`, `command`, `responseCode`), never the rest.
 */
export class DeliveryFailure extends Error {
  override readonly name = "DeliveryFailure";
  /** The provider error's class name (`Error`, ...). */
  readonly errorName: string;
  readonly code: string | undefined;
  readonly command: string | undefined;
  readonly responseCode: number | undefined;

  constructor(error: unknown, sent: { identifier: string; url: string; token: string }) {
    const raw = (error ?? {}) as { name?: unknown; message?: unknown; code?: unknown; command?: unknown; responseCode?: unknown };
    super(scrub(typeof raw.message === "string" ? raw.message : String(error), sent));
    this.errorName = typeof raw.name === "string" ? raw.name : "Error";
    this.code = typeof raw.code === "string" ? scrub(raw.code, sent) : undefined;
    this.command = typeof raw.command === "string" ? scrub(raw.command, sent) : undefined;
    this.responseCode = typeof raw.responseCode === "number" ? raw.responseCode : undefined;
  }
}

/**
 * `text` with each value the provider was given (and its URL-encoded form) replaced, and the
 * address's parts on their own: a DNS error names only the domain (also in its punycode form).
 */
function scrub(text: string, sent: { identifier: string; url: string; token: string }): string {
  const at = sent.identifier.lastIndexOf("@");
  const domain = at >= 0 ? sent.identifier.slice(at + 1) : "";
  const local = at >= 0 ? sent.identifier.slice(0, at) : "";
  let out = text;
  // Longest first: the URL contains the token (and often the address), the address its parts.
  for (const [value, label] of [
    [sent.url, "[url]"],
    [sent.token, "[token]"],
    [sent.identifier, "[identifier]"],
    [domain, "[domain]"],
    [domainToASCII(domain), "[domain]"],
    // A local part of a letter or two would blank out ordinary words.
    [local.length >= 3 ? local : "", "[local]"],
  ] as const) {
    if (!value) continue;
    for (const form of new Set([value, encodeURIComponent(value)])) out = replaceAll(out, form, label);
  }
  return out;
}

/** Case-insensitive (e-mail addresses and hosts), and a literal match: the value is escaped, never a pattern. */
function replaceAll(text: string, value: string, label: string): string {
  return text.replace(new RegExp(value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi"), () => label);
}
