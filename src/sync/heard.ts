// What a member heard other members ask for: a request for a node, or a drill-down of a raid, that
// this client is itself about to ask for (then it stays silent and waits for that answer). Only
// keys this client waits for are noted (a request naming anything else changes nothing here), the
// entries are forgotten after HEARD_SECONDS and the tables hold at most MAX_HEARD of them: what
// other players send cannot grow them. The transport only delivers requests heard on the raid's
// channel from players on the roster, so only those count. Lua-only.
import { SyncContext, now } from "./context";
import { prefixMemoSize, resetPrefixMemo } from "../integrity/canonical";
import { memoSize, resetMemo } from "../integrity/valuehash";

/** Longer than any wait that compares with these times (drillTimeout, the request jitter). */
const HEARD_SECONDS = 60;
const MAX_HEARD = 256;

/** Notes that another member asked for `key` (a node key, or a raid name for a drill-down). */
export function noteHeard(c: SyncContext, drill: boolean, key: string): void {
  const S = c.S;
  const table = drill ? S.heardDrill : S.heardReq;
  if (table[key] === undefined) {
    if (S.heardCount >= MAX_HEARD) pruneHeard(c);
    if (S.heardCount >= MAX_HEARD) return;
    S.heardCount++;
  }
  table[key] = now(c);
}

/** Forgets what was heard more than HEARD_SECONDS ago (both tables rebuilt: no dead keys kept). */
export function pruneHeard(c: SyncContext): void {
  const S = c.S;
  const limit = now(c) - HEARD_SECONDS;
  let count = 0;
  const keep = (from: { [key: string]: number | undefined }) => {
    const out: { [key: string]: number | undefined } = {};
    for (const k in from) {
      const t = from[k];
      if (t !== undefined && t >= limit) {
        out[k] = t;
        count++;
      }
    }
    return out;
  };
  S.heardReq = keep(S.heardReq);
  S.heardDrill = keep(S.heardDrill);
  S.heardCount = count;
}

/**
 * The checksum memos (integrity) remember every string they meet, also those of payloads others
 * sent (made-up raid names): past MEMO_TRIM entries they start over (the plan's own strings are far
 * fewer, so this happens only after such traffic, and costs one slower checksum).
 */
const MEMO_TRIM = 8192;
const HASH_MEMO_TRIM = 40000;

export function trimMemos(): void {
  if (prefixMemoSize() > MEMO_TRIM) resetPrefixMemo();
  if (memoSize() > HASH_MEMO_TRIM) resetMemo();
}
