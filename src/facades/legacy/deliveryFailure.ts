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

  constructor(error: unknown, sent: { identifier: unknown; url: unknown; token: unknown }) {
    const raw = (error ?? {}) as { name?: unknown; message?: unknown; code?: unknown; command?: unknown; responseCode?: unknown };
    super(scrub(typeof raw.message === "string" ? raw.message : textOf(error) || "the provider failed", sent));
    this.errorName = typeof raw.name === "string" ? raw.name : "Error";
    this.code = typeof raw.code === "string" ? scrub(raw.code, sent) : undefined;
    this.command = typeof raw.command === "string" ? scrub(raw.command, sent) : undefined;
    this.responseCode = typeof raw.responseCode === "number" ? raw.responseCode : undefined;
  }
}

/**
 * `text` with each value the provider was given (and its URL-encoded form) replaced, and the
 * address's parts on their own: a DNS error names only the domain (also in its punycode form).
 * The values come from the caller as they are (anything, of any size): never a pattern, and
 * nothing here may throw.
 */
function scrub(text: string, sent: { identifier: unknown; url: unknown; token: unknown }): string {
  const identifier = textOf(sent.identifier);
  const at = identifier.lastIndexOf("@");
  const domain = at >= 0 ? identifier.slice(at + 1) : "";
  const local = at >= 0 ? identifier.slice(0, at) : "";
  let out = text;
  // Longest first: the URL contains the token (and often the address), the address its parts.
  for (const [value, label] of [
    [textOf(sent.url), "[url]"],
    [textOf(sent.token), "[token]"],
    [identifier, "[identifier]"],
    [domain, "[domain]"],
    [asciiDomain(domain), "[domain]"],
    // A local part of a letter or two would blank out ordinary words.
    [local.length >= 3 ? local : "", "[local]"],
  ] as const) {
    if (!value) continue;
    for (const form of new Set([value, uriEncoded(value)])) out = replaceAll(out, form, label);
  }
  return out;
}

/** A primitive as text; anything else was not something a provider could quote. */
function textOf(value: unknown): string {
  return typeof value === "string" ? value : typeof value === "number" || typeof value === "bigint" || typeof value === "boolean" ? String(value) : "";
}

function uriEncoded(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value; // a lone surrogate: it has no encoded form
  }
}

function asciiDomain(domain: string): string {
  try {
    return domain ? domainToASCII(domain) : "";
  } catch {
    return "";
  }
}

/** Every occurrence of `value` in `text`, ignoring case where lower-casing keeps the lengths. */
function replaceAll(text: string, value: string, label: string): string {
  if (value.length > text.length) return text;
  const lowerText = text.toLowerCase();
  const lowerValue = value.toLowerCase();
  const caseless = lowerText.length === text.length && lowerValue.length === value.length;
  const haystack = caseless ? lowerText : text;
  const needle = caseless ? lowerValue : value;
  let out = "";
  let from = 0;
  for (let found = haystack.indexOf(needle); found >= 0; found = haystack.indexOf(needle, from)) {
    out += text.slice(from, found) + label;
    from = found + needle.length;
  }
  return out + text.slice(from);
}
