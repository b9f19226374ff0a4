/**
 * PostgreSQL WAL positions ("16/B374D848") as bigints, so they compare and order exactly.
 */
export type Lsn = bigint;

export function parseLsn(text: string): Lsn {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text);
  if (!match) throw new Error("not a WAL position");
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

export function formatLsn(lsn: Lsn): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** WAL page geometry of a server (`wal_block_size`, `wal_segment_size`), read once. */
export interface WalGeometry {
  blockSize: bigint;
  segmentSize: bigint;
}

/** Page header sizes on a 64-bit server: a segment's first page has the long header. */
const SHORT_HEADER = 24n;
const LONG_HEADER = 40n;

/**
 * The position a replica must have replayed to hold everything written before `insert`
 * (`pg_current_wal_insert_lsn()`). An insert position just past a page header points at no record
 * yet: the last record ended at the page boundary, and that boundary is what a replica reports
 * after replaying it (`pg_last_wal_replay_lsn()` is the end of the last record). Without this, an
 * idle primary would leave its replicas "behind" forever.
 */
export function replayTarget(insert: Lsn, geometry: WalGeometry): Lsn {
  if (insert % geometry.segmentSize === LONG_HEADER) return insert - LONG_HEADER;
  if (insert % geometry.blockSize === SHORT_HEADER) return insert - SHORT_HEADER;
  return insert;
}
