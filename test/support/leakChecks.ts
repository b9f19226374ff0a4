import { randomBytes } from "node:crypto";
import { AdapterError } from "../../src";
import { leakedBy } from "./errorRenderings";

/** A value a caller passes, unique enough that finding it anywhere means it leaked. */
export const secret = (label: string) => `${label}-${randomBytes(16).toString("hex")}`;
export const secretEmail = () => `${secret("mail")}@leaks.example`;

/** The error `call` rejects with, after checking its code and that none of `secrets` leaks through it. */
export async function refusal(call: () => Promise<unknown>, code: string, secrets: string[]): Promise<AdapterError> {
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AdapterError);
  expect({ code: (error as AdapterError).code, leaked: leakedBy(error, secrets) }).toEqual({ code, leaked: [] });
  return error as AdapterError;
}
