/**
 * The fence a write operation carries to other instances merges the database writes it caused:
 * keyed creations keep their buckets, and one creation without keys makes the whole fence count
 * for any key.
 */
import { WriteLog } from "../WriteLog";

test("keyed creations merge their buckets; a creation without keys drops them all", () => {
  const log = new WriteLog();
  let mark = log.mark();
  log.add({ userIds: ["u1"], lsn: "0/10", created: true, buckets: [3] });
  log.add({ userIds: ["u2"], lsn: "0/20", created: true, buckets: [9, 3] });
  expect(log.since(mark)).toEqual({ userIds: ["u1", "u2"], lsn: "0/20", created: true, buckets: [3, 9] });

  mark = log.mark();
  log.add({ userIds: ["u1"], lsn: "0/30", created: true, buckets: [3] });
  log.add({ userIds: ["u3"], lsn: "0/28", created: true });
  expect(log.since(mark)).toEqual({ userIds: ["u1", "u3"], lsn: "0/30", created: true });

  mark = log.mark();
  log.add({ userIds: ["u1"], lsn: "0/40" });
  expect(log.since(mark)).toEqual({ userIds: ["u1"], lsn: "0/40", created: false });
});
