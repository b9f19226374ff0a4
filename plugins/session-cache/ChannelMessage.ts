/** The invalidation channel's messages: what a write publishes, and how a received one is read. */

/** A replica fence carried by a message: the users a write touched ("*": anyone), and its WAL position. */
export interface Fence {
  userIds: readonly string[] | "all";
  lsn: string | undefined;
  /** The write made rows findable by a new key (a replica's "not found" needs `lsn`). */
  created: boolean;
  /** With `created`: the buckets of every such key (absent: any key). Numbers only, never a key. */
  buckets?: readonly number[];
}

/** A message on the channel: origin instance, message id, token ids, user ids, or "drop everything". */
export interface Message {
  o: string;
  m?: string;
  t?: string[];
  u?: string[];
  a?: 1;
  /** Replica fence: user ids, or "*" for anyone. */
  f?: string[] | "*";
  /** Replica fence: the WAL position (absent with `f`: unknown, wait for the next primary sample). */
  l?: string;
  /** Replica fence: the write created rows. */
  c?: 1;
  /** Replica fence, with `c`: the created keys' buckets (an instance that ignores it takes `c` for any key). */
  k?: number[];
}

/** A message's body: everything but the origin and the id, which the confirmation wait adds. */
export type MessageBody = Omit<Message, "o" | "m">;

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

/** The body of an invalidation of `ids` (token ids) and `userIds`, with the replica fence if any. */
export function invalidation(ids: readonly string[], userIds: readonly string[], fence?: Fence): MessageBody {
  const keyed = fence?.created && fence.buckets !== undefined && fence.buckets.length > 0;
  const carried: MessageBody = fence
    ? { f: fence.userIds === "all" ? "*" : [...fence.userIds], ...(fence.lsn !== undefined && { l: fence.lsn }), ...(fence.created && { c: 1 as const }), ...(keyed && { k: [...fence.buckets!] }) }
    : {};
  return { t: [...ids], u: [...userIds], ...carried };
}

/** A received message, or undefined when it is not one (not JSON, no origin). */
export function parseMessage(text: string): Message | undefined {
  let message: Message;
  try {
    message = JSON.parse(text) as Message;
  } catch {
    return undefined;
  }
  return message !== null && typeof message === "object" && typeof message.o === "string" ? message : undefined;
}

/** The token ids and user ids a message drops (any non-string entry ignored). */
export function dropsOf(message: Message): { ids: string[]; userIds: string[] } {
  return { ids: strings(message.t), userIds: strings(message.u) };
}

/** The replica fence a message carries, if any. */
export function fenceOf(message: Message): Fence | undefined {
  if (message.f === undefined) return undefined;
  const created = message.c === 1;
  // Anything but a list of integers: no buckets, so the creation counts for any key (the safe side).
  const buckets = created && Array.isArray(message.k) && message.k.length > 0 && message.k.every((n) => Number.isInteger(n)) ? message.k : undefined;
  return { userIds: message.f === "*" ? "all" : strings(message.f), lsn: typeof message.l === "string" ? message.l : undefined, created, ...(buckets && { buckets }) };
}
