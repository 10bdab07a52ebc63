// Companion mode: our plan is a view of OG-RaidHelper's (OGRH_SV.v2, mapped by v2plan.ts), so the
// checksum tree, sync, rollback and window protect the plan its users edit. Two directions:
// - v2 -> store (v2read.ts): one unit of v2 (the global parts or one raid) is compared with a copy
//   of the last read every frame; what moved is read (only that) and applied to the store as source
//   "ogrh" (OG-RaidHelper's edits, through SetPath or direct).
// - store -> v2 (here): every other write (sync repair, restore, import) is written into v2 through
//   OGRH.SVM.SetPath without sync metadata, as OG-RaidHelper applies a received delta, and its open
//   windows are refreshed the way it refreshes them then; only the units written are copied again.
// The Active Raid (raids[1]) is never read or written: OG-RaidHelper syncs it itself.
// Lua-only.
import type { App } from "../app";
import { PLAN_KEYS } from "../core/schema";
import { isTable } from "../core/values";
import { checksumValue } from "../integrity/valuehash";
import * as T from "../integrity/tree";
import type { Store, StoreChange } from "./store";
import { deepCopy } from "./store";
import { composeRaid, project, raidIndex, V2_GLOBALS, v2Raids } from "./v2plan";
import * as R from "./v2read";

type Table = any;

export const OGRH_SOURCE = R.OGRH_SOURCE;

/** Budget units (thousands of instructions) kept for writing one raid: a raid a frame (the largest, Naxxramas, ~100-150 k). */
const RAID_WRITE_UNITS = 150;

/** @noSelf */
interface Svm {
  SetPath: (path: string, value: unknown, meta?: unknown) => boolean;
}

/** @noSelf */
export interface Companion {
  /** Reads all of v2 now, in one go; returns true when the store moved. */
  refresh: () => boolean;
  /** Compares the next unit of v2 (global parts or one raid) with the last read: true when it moved. */
  check: () => boolean;
  /** How many SetPath writes we made (tests, benchmarks). */
  writes: () => number;
  /** A read or a write of several raids is under way or due (tests, benchmarks). */
  pending: () => boolean;
  /** The store holds exactly the projection of v2 now, and its cached tree is right (tests). */
  verify: () => boolean;
  /** Reads started, of them full reads (the raid list moved), and reads dropped and done again. */
  stats: () => { reads: number; full: number; dropped: number };
}

export function installCompanion(app: App, store: Store): Companion {
  const { platform } = app;
  const s = R.createReadState(platform, store, app.jobs, app.say);
  let writeCount = 0;
  const v2 = (): Table => R.v2Of(platform);
  const svm = (): Svm | undefined => {
    const ogrh = platform.getGlobal("OGRH") as Table;
    return isTable(ogrh) && isTable(ogrh.SVM) && typeof ogrh.SVM.SetPath === "function" ? (ogrh.SVM as Svm) : undefined;
  };

  /** The whole view replaced silently (login): nothing to sync, nothing to write back. */
  const adopt = () => {
    const data = store.sv() as Table;
    if (!isTable(data) || v2() === undefined) return;
    const plan = project(v2());
    data.encounterMgmt = plan.encounterMgmt;
    for (const k of PLAN_KEYS) data[k] = plan[k];
    store.rebuild();
  };

  /** true when written (false: no SetPath, or it refused: OG-RaidHelper's repair holds its lock). */
  const setPath = (path: string, value: unknown): boolean => {
    const m = svm();
    if (m === undefined) return false;
    writeCount++;
    return m.SetPath(path, value) === true;
  };

  /** Writes one raid of the view into v2: only the encounters that differ when the raid's shape did not change. */
  const writeRaid = (data: Table, name: string) => {
    const raids = v2Raids(v2());
    if (raids === undefined) return;
    const n = R.raidCount(raids) + 1;
    const idx = raidIndex(v2(), name);
    const mine = isTable(data.encounterMgmt) && isTable(data.encounterMgmt.raids) ? data.encounterMgmt.raids[name] : undefined;
    if (!isTable(mine)) {
      if (idx === 0) return;
      // Removed with table.remove, as OG-RaidHelper's raid setup does (it keeps table.getn right),
      // then the array is set through SetPath so the write goes through its manager.
      table.remove(raids, idx);
      R.wroteList(s, idx, -1, setPath("encounterMgmt.raids", raids));
      return;
    }
    const current = idx === 0 ? undefined : raids[idx];
    const next = composeRaid(data, name, current);
    if (current === undefined) {
      // A new raid goes where its sortOrder puts it (a restored raid returns to its place), else last.
      let at = n + 1;
      if (typeof next.sortOrder === "number") {
        for (let j = n; j >= 2; j--) if (isTable(raids[j]) && typeof raids[j].sortOrder === "number" && raids[j].sortOrder > next.sortOrder) at = j;
      }
      table.insert(raids, at, next);
      R.wroteList(s, at, 1, setPath("encounterMgmt.raids", raids));
      return;
    }
    // Deep equality rather than checksums: a raid's canonical text is its largest cost here.
    if (R.same(next, current, 0)) return;
    const oldEncs = isTable(current.encounters) ? current.encounters : {};
    if (!sameShape(next, current)) {
      R.wroteRaid(s, idx, setPath("encounterMgmt.raids." + idx, next));
      return;
    }
    for (const j in next.encounters) {
      if (!R.same(next.encounters[j], oldEncs[j], 0)) {
        R.wroteEncounter(s, idx, j as unknown as number, setPath("encounterMgmt.raids." + idx + ".encounters." + j, next.encounters[j]));
      }
    }
  };

  const refreshWindows = () => {
    const ogrh = platform.getGlobal("OGRH") as Table;
    const rolesFrame = isTable(ogrh) ? ogrh.rolesFrame : undefined;
    if (isTable(rolesFrame) && typeof rolesFrame.UpdatePlayerLists === "function") (rolesFrame.UpdatePlayerLists as (this: void, a: boolean) => void)(false);
    const enc = platform.getGlobal("OGRH_EncounterFrame") as Table;
    if (isTable(enc) && typeof enc.RefreshRoleContainers === "function") (enc.RefreshRoleContainers as (this: void) => void)();
    if (isTable(enc) && typeof enc.RefreshRaidsList === "function") (enc.RefreshRaidsList as (this: void) => void)();
  };

  store.on((change: StoreChange) => {
    if (s.busy || change.source === OGRH_SOURCE || v2() === undefined) return;
    const data = store.sv() as Table;
    const before = writeCount;
    const raids: { [name: string]: boolean } = {};
    let all = change.node !== undefined && change.node.level === "STRUCTURE";
    for (const ch of change.changes) {
      if (ch.level === "GLOBAL" && ch.component !== undefined) {
        for (const g of V2_GLOBALS) if (g === ch.component) R.wroteGlobal(s, g, setPath(g, deepCopy(data[g])));
      } else if (ch.level === "STRUCTURE") all = true;
      else if (ch.raid !== undefined) raids[ch.raid] = true;
    }
    if (all) {
      // A whole-plan write (restore, full sync) lists every raid whose checksums moved (and each one
      // that left): only those are written, so an unchanged raid costs nothing (comparing every raid
      // with v2 took one frame of ~2 M instructions). v2 edits not read yet are read afterwards.
      for (const g of V2_GLOBALS) if (T.checksumOrEmpty(data[g]) !== T.checksumOrEmpty(v2()[g])) R.wroteGlobal(s, g, setPath(g, deepCopy(data[g])));
    }
    const names: string[] = [];
    for (const name in raids) names.push(name);
    if (names.length <= 1) {
      for (const name of names) writeRaid(data, name);
      if (writeCount !== before) refreshWindows();
      return;
    }
    if (writeCount !== before) refreshWindows();
    writeInBackground(names);
  });

  // Several raids (a full sync, a restore): one raid a frame, as a job. The reader compares v2 with
  // its copy, not with the store, so raids not written yet look unchanged to it meanwhile.
  let writing = 0;
  const writeInBackground = (names: string[]) => {
    writing++;
    app.jobs.start(
      "companion write",
      (_tick, reserve) => {
        for (const name of names) {
          reserve(RAID_WRITE_UNITS);
          writeRaid(store.sv() as Table, name);
        }
      },
      (ok, _v, err) => {
        writing--;
        if (!ok) {
          // v2 may hold part of the write: read all of it again, so the store follows what v2 holds.
          R.forget(s);
          app.say("Writing into OG-RaidHelper's plan failed: " + String(err));
        }
        refreshWindows();
      },
      undefined,
      true,
    );
  };

  platform.on("PLAYER_LOGIN", () => {
    adopt();
    R.snapshotAll(s);
    // Every frame: a read under way goes on (a job), else the next unit is compared with its copy.
    const tick = () => {
      if (!s.reading) {
        let unit = s.retry;
        s.retry = R.NONE;
        if (unit === R.NONE) unit = R.findChange(s);
        if (unit !== R.NONE) R.startRead(s, unit);
      }
      platform.after(0, tick);
    };
    platform.after(0, tick);
  });

  return {
    refresh: () => R.finish(s, R.readUnit(s, R.ALL, undefined)),
    check: () => R.findChange(s) !== R.NONE,
    writes: () => writeCount,
    pending: () => s.reading || s.retry !== R.NONE || writing > 0,
    verify: () => v2() !== undefined && T.computeTree(project(v2())).structure === store.tree().structure && store.rebuild(),
    stats: () => ({ reads: s.stats.reads, full: s.stats.full, dropped: s.stats.dropped }),
  };
}

/** Same raid metadata and the same encounter names in the same order. */
function sameShape(a: Table, b: Table): boolean {
  const meta = (r: Table): string => {
    const m: Table = {};
    for (const k in r) if (k !== "encounters") m[k] = r[k];
    const names: Table = {};
    const encs = isTable(r.encounters) ? r.encounters : {};
    for (const j in encs) names[j] = isTable(encs[j]) ? encs[j].name : false;
    m.encounters = names;
    return checksumValue(m);
  };
  return meta(a) === meta(b);
}
