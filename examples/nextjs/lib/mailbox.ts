/**
 * The development mailbox: the e-mail provider "sends" each sign-in link here and /dev/mailbox
 * shows them. In-process memory on purpose: nothing is written anywhere, a restart empties it, and
 * it holds at most MAX_MESSAGES. Only reachable while `devToolsEnabled()` (see lib/config.ts).
 */
export interface MailMessage {
  id: number;
  to: string;
  subject: string;
  url: string;
  sentAt: Date;
  expires: Date;
}

const MAX_MESSAGES = 50;
// Route handlers and pages are separate bundles, each with its own module instances: one
// process-wide box is kept on globalThis.
const KEY = Symbol.for("nextauth-adapter-kit.example.mailbox");
type Box = { messages: MailMessage[]; next: number };
const box = ((globalThis as Record<symbol, Box>)[KEY] ??= { messages: [], next: 1 });

export function deliver(message: Omit<MailMessage, "id" | "sentAt">): void {
  box.messages.unshift({ ...message, id: box.next++, sentAt: new Date() });
  box.messages.length = Math.min(box.messages.length, MAX_MESSAGES);
}

/** Newest first. */
export function messages(): readonly MailMessage[] {
  return box.messages;
}
