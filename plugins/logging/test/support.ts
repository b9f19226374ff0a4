/** What the logging tests share: a pino logger writing into memory, value makers, a rejection catcher. */
import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import pino from "pino";
import type { AdapterError } from "../../../src";

export interface LogRecord {
  level: number;
  msg: string;
  operation: string;
  facade: string;
  outcome: "ok" | "null" | "error";
  durationMs: number;
  code?: string;
  userId?: string;
  provider?: string;
  email?: string;
  error?: { message: string; cause?: { code?: string; message: string } };
}

/** A pino logger at `level` writing into memory. */
export function memoryLogger(level = "trace") {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = pino({ level }, stream);
  const text = () => chunks.join("");
  const records = () => text().split("\n").filter(Boolean).map((line) => JSON.parse(line) as LogRecord);
  return { logger, text, records };
}

export const hex = (bytes = 16) => randomBytes(bytes).toString("hex");
/** Letters only: the pattern scrubber would not catch these, only redaction by value can. */
export const letters = (label: string) => `${label}-${Array.from(randomBytes(12), (b) => String.fromCharCode(97 + (b % 26))).join("")}`;
export const inOneHour = () => new Date(Date.now() + 3600_000);

export async function rejection(promise: Promise<unknown>): Promise<AdapterError> {
  try {
    await promise;
  } catch (error) {
    return error as AdapterError;
  }
  throw new Error("expected the call to fail");
}
