import { randomBytes } from "node:crypto";
import type { NewUser } from "../implementations/types";
import type { Workload } from "./types";

/** A first sign-in's write: a new user with the usual columns (an e-mail unique to the run). */
export const createUser: Workload<NewUser> = {
  name: "createUser",
  title: "createUser",
  concurrency: 1,
  input: (_fixtures, i) => ({
    email: `new${i}.${randomBytes(4).toString("hex")}@example.com`,
    emailVerified: null,
    name: `New User ${i}`,
    image: `https://avatars.example.com/n/${i}.png`,
  }),
  async call(adapter, user) {
    await adapter.createUser(user);
  },
};
