import { exactCollationOf } from "../../src/persistence/mikro-orm/dialects/mysql/exactCollation";

/**
 * MariaDB 11.4.5 and later list `utf8mb4_0900_bin` too, as an alias of the padding `utf8mb4_bin`:
 * a server that has both names must get MariaDB's NO PAD one.
 */
test("a server listing both NO PAD names gets utf8mb4_nopad_bin; MySQL 8 gets utf8mb4_0900_bin; neither is CONFIGURATION", () => {
  expect(exactCollationOf([{ c: "utf8mb4_0900_bin" }, { c: "utf8mb4_nopad_bin" }])).toBe("utf8mb4_nopad_bin");
  expect(exactCollationOf([{ C: "utf8mb4_0900_bin" }])).toBe("utf8mb4_0900_bin");
  expect(() => exactCollationOf([])).toThrow(expect.objectContaining({ code: "CONFIGURATION" }));
});
