import { createAdapterKit } from "../src";

test("embedded default: create and read a user through both facades", async () => {
  const kit = createAdapterKit();
  try {
    const user = await kit.authjs.createUser({ email: "a@example.com", emailVerified: null, name: "A" });
    expect(await kit.authjs.getUser(user.id)).toEqual(user);
    const v3 = await kit.legacy.getAdapter({ secret: "s" });
    expect(await v3.getUserByEmail("a@example.com")).toEqual(user);
  } finally {
    await kit.close();
  }
});
