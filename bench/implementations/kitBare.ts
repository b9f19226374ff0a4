import { kitImplementation } from "./kitVariants";
import type { Implementation } from "./types";

/** `kit.authjs` on MikroORM PostgreSQL with no plugin of the app's own. */
export function kitBare(url: string): Implementation {
  return kitImplementation("kit bare", "kit.authjs, MikroORM PostgreSQL, no plugins", url, []);
}
