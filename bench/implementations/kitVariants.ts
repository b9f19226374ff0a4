import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { Registry } from "prom-client";
import { createAdapterKit, type AdapterKit, type PluginInput } from "../../src";
import { encryptAccountTokens, hashVerificationTokens, logging, metrics } from "../../plugins";
import { BENCH_SECRET } from "../setup/seed";
import type { BenchAdapter, Implementation } from "./types";

/** The account-token key of the run (AES-256-GCM): fixed bytes, this is a benchmark. */
const BENCH_KEY = { id: "bench", key: Buffer.alloc(32, 7) };

/** A kit on PostgreSQL through its Auth.js facade, as an app would wire it. */
export function kitImplementation(
  name: string,
  description: string,
  url: string,
  plugins: PluginInput[],
  extra: { notes?: () => Record<string, unknown>; close?: () => Promise<void>; sessionTokens?: "raw" } = {},
): Implementation {
  // Session tokens hashed, the kit's default: the seed stores each session in that form too
  // (sections whose seed has only raw rows say `sessionTokens: "raw"`).
  const kit: AdapterKit = createAdapterKit({ database: url, secret: BENCH_SECRET, sessionTokens: extra.sessionTokens ?? "hashed", plugins });
  return {
    name,
    description,
    family: "kit",
    adapter: kit.authjs as BenchAdapter,
    notes: extra.notes,
    async close() {
      await kit.close();
      await extra.close?.();
    },
  };
}

/**
 * The plugins of "kit full": hashing, logging and metrics as a production app would run them: pino
 * at `info` writing asynchronously to a file, the logging plugin with its defaults (its per-call
 * line is at `debug`, so below `info` only failures are written), metrics with prom-client and
 * OpenTelemetry spans (no SDK registered). `linePerCall` logs the per-call line at `info` instead,
 * so every call writes a line: what that costs. With `secrets` (the default) OAuth tokens are
 * encrypted (`encryptAccountTokens`); "kit full -secrets" runs without, and with raw session tokens.
 */
export function fullPlugins(linePerCall = false, secrets = true): { plugins: PluginInput[]; logFile: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "nak-bench-"));
  const logFile = join(dir, "kit.log");
  const destination = pino.destination({ dest: logFile, sync: false, minLength: 4096 });
  const logger = pino({ level: "info" }, destination);
  return {
    plugins: [hashVerificationTokens(), ...(secrets ? [encryptAccountTokens({ keys: [BENCH_KEY] })] : []), logging({ logger, ...(linePerCall ? { level: "info" as const } : {}) }), metrics({ registry: new Registry() })],
    logFile,
    /** Flushes and removes the log: a run leaves no files behind. */
    dispose: () => {
      try {
        destination.flushSync();
      } catch {
        // Still opening (a run that stopped early): nothing was written.
      }
      destination.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
