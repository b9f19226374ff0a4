/**
 * The invalidation channel's messages: what a write publishes is what a receiver reads back (drops
 * and the replica fence), and anything that is not such a message is ignored.
 */
import { dropsOf, fenceOf, invalidation, parseMessage } from "../ChannelMessage";

const roundTrip = (body: ReturnType<typeof invalidation>) => parseMessage(JSON.stringify({ o: "instance-a", m: "7", ...body }))!;

test("drops and a fence travel as published", () => {
  const message = roundTrip(invalidation(["tok-1"], ["user-1"], { userIds: ["user-1", "user-2"], lsn: "0/3000028", created: true }));
  expect(dropsOf(message)).toEqual({ ids: ["tok-1"], userIds: ["user-1"] });
  expect(fenceOf(message)).toEqual({ userIds: ["user-1", "user-2"], lsn: "0/3000028", created: true });
});

test("a fence for anyone, of unknown position, not a creation", () => {
  const message = roundTrip(invalidation([], [], { userIds: "all", lsn: undefined, created: false }));
  expect(fenceOf(message)).toEqual({ userIds: "all", lsn: undefined, created: false });
  expect(JSON.stringify(invalidation([], [], { userIds: "all", lsn: undefined, created: false }))).toBe('{"t":[],"u":[],"f":"*"}');
});

test("no fence without one", () => {
  expect(fenceOf(roundTrip(invalidation(["tok-1"], [])))).toBeUndefined();
});

test("what is not a message is ignored, and non-strings in the lists are dropped", () => {
  for (const text of ["not json", "null", "42", '"text"', '{"t":["x"]}', '{"o":5}']) expect(parseMessage(text)).toBeUndefined();
  const message = parseMessage('{"o":"b","t":["x",1,null],"u":{"0":"y"},"f":["u1",{}],"l":7}')!;
  expect(dropsOf(message)).toEqual({ ids: ["x"], userIds: [] });
  expect(fenceOf(message)).toEqual({ userIds: ["u1"], lsn: undefined, created: false });
});

test("a keyed creation carries its buckets, and a message that garbles them counts for any key", () => {
  const keyed = roundTrip(invalidation([], ["u1"], { userIds: ["u1"], lsn: "0/1", created: true, buckets: [7, 4095] }));
  expect(fenceOf(keyed)).toEqual({ userIds: ["u1"], lsn: "0/1", created: true, buckets: [7, 4095] });
  // An instance that ignores `k` still reads `c`: a creation for any key (the safe side).
  expect(keyed.c).toBe(1);
  for (const k of ['"x"', '["7"]', "[1.5]", "[]", "{}"]) {
    expect(fenceOf(parseMessage(`{"o":"b","f":["u1"],"l":"0/1","c":1,"k":${k}}`)!)).toEqual({ userIds: ["u1"], lsn: "0/1", created: true });
  }
  // Buckets without a creation mean nothing.
  expect(fenceOf(parseMessage('{"o":"b","f":["u1"],"l":"0/1","k":[3]}')!)).toEqual({ userIds: ["u1"], lsn: "0/1", created: false });
});
