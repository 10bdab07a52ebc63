// Wires the granular sync into the app: OGRH.SyncGranular (spec 6.3 / 6.4.1 names), the slash
// commands /ogrh admin and /ogrh validate. Lua-only.
import type { App } from "../app";
import type { NodeRef } from "../store/store";
import { isComponent, isGlobalComponent } from "../core/schema";
import { createPermissions } from "./permissions";
import { createGranular, Granular, ValidateCallback } from "./granular";
import { LEVELS, MSG, REQ_TYPE, RES_TYPE, SYNC_VERSION, layoutWords } from "./protocol";
import { reportOf } from "./detect";
import { isTable, nilOr } from "../core/values";

/** OG-RaidHelper's raid admin (OGRH.GetRaidAdmin()), when it has one. */
function ogrhAdmin(app: App): string | undefined {
  const ogrh = app.platform.getGlobal("OGRH") as any;
  if (!isTable(ogrh) || typeof ogrh.GetRaidAdmin !== "function") return undefined;
  const name = ogrh.GetRaidAdmin();
  return typeof name === "string" && name !== "" ? name : undefined;
}

export function installSync(app: App): Granular {
  const { api, platform } = app;
  const perms = createPermissions(() => platform.roster(), () => platform.playerName(), app.mode === "companion" ? () => ogrhAdmin(app) : undefined);
  const g = createGranular(app, app.store, perms);

  const target = (t: unknown): string | undefined => (typeof t === "string" && t !== "" ? t : undefined);

  api.SyncGranular = {
    VERSION: SYNC_VERSION,
    MESSAGE_TYPES: (() => {
      const list: string[] = [MSG.POLL, MSG.DRILL_REQ, MSG.DRILL_RES, MSG.ADMIN, MSG.MODE];
      for (const level of LEVELS) {
        list.push(REQ_TYPE[level]);
        list.push(RES_TYPE[level]);
      }
      return list;
    })(),
    config: g.cfg,
    /** Sends this client's copy of one component to target (everyone when nil). true, or nil + reason. */
    SyncComponent: (raid: string, encounter: string, component: string, to?: string) => {
      if (!isComponent(component)) return nilOr("unknown component " + String(component));
      return nilOr(g.push({ level: "COMPONENT", raid, encounter, component }, target(to)));
    },
    SyncEncounter: (raid: string, encounter: string, to?: string) => nilOr(g.push({ level: "ENCOUNTER", raid, encounter }, target(to))),
    SyncRaid: (raid: string, to?: string) => nilOr(g.push({ level: "RAID", raid }, target(to))),
    SyncGlobalComponent: (component: string, to?: string) => {
      if (!isGlobalComponent(component)) return nilOr("unknown global component " + String(component));
      return nilOr(g.push({ level: "GLOBAL", component }, target(to)));
    },
    SyncFullStructure: (to?: string) => nilOr(g.push({ level: "STRUCTURE" }, target(to))),
    /**
     * Asks the raid admin for one node ({level=, raid=, encounter=, component=}); returns the jobs
     * queued. onProgress(received, expected): body bytes of the admin's answer as its frames arrive
     * (expected is exact at the last frame), until the repair settles. onDone(): the repair queue
     * has nothing left to do (this repair succeeded or was given up).
     */
    RequestRepair: (ref: NodeRef, onProgress?: (received: number, expected: number) => void, onDone?: () => void) =>
      g.requestRepair(ref, typeof onProgress === "function" ? onProgress : undefined, typeof onDone === "function" ? onDone : undefined),
    /**
     * Queues repairs for a validation result (spec ValidationResult, or its `corrupted` part):
     * smart level, priorities from the selection, one at a time. Raids that differ without detail
     * get a drill-down first. Returns the number of repair jobs queued.
     */
    QueueRepair: (result: unknown) => {
      const r = reportOf(result);
      for (const raidName of r.skipped) app.say(raidName + " exists only in your plan; sync cannot repair it (the admin's plan lacks it).");
      const added = g.queueReport(r.report, "QueueRepair");
      if (r.drill.length > 0) g.validateFull(undefined);
      return added.length;
    },
    SetSelection: (raid?: string, encounter?: string) => g.setSelection(raid, encounter),
    GetSelection: () => {
      const s = g.selection();
      return $multi(s.raid, s.encounter);
    },
    /**
     * Full structure validation against the admin (every raid); cb(result) when the answer came:
     * {valid, corrupted, remoteMissing, admin, remote} where remote holds the admin's checksums
     * (Hierarchy shape) of every node a validation tree shows. Differences are queued for repair
     * unless options.repair is false (the Data Management window: the player chooses the repair).
     */
    ValidateFullStructure: (cb?: ValidateCallback, options?: { repair?: boolean }) => g.validateFull(typeof cb === "function" ? cb : undefined, !(options !== undefined && isTable(options) && options.repair === false)),
    /** The admin broadcasts its checksums now (what the 30 s timer does). */
    BroadcastChecksums: () => g.broadcastChecksums("ALERT"),
    GetAdmin: () => perms.admin(),
    IsAdmin: () => g.isAdmin(),
    GetPermission: (name: string) => perms.permissionOf(name),
    CanAuthor: (name: string) => perms.canAuthor(name),
    /** The raid leader chooses the raid admin. */
    DesignateAdmin: (name: string) => g.designate(name),
    PendingRepairs: () => {
      const out: string[] = [];
      for (const job of g.repair.pending()) out.push(job.label);
      return out;
    },
    RepairBusy: () => g.repair.busy(),
    Stats: () => g.stats,
    /** The sync timeline: {t, kind, text} (poll, drill, request, answer, push, apply, ...). */
    Log: () => g.log(),
  };

  /** The raid admin, and whether this client syncs with them. */
  const adminLine = (): string => {
    const a = perms.admin();
    if (a === undefined) return "No raid admin is online.";
    const other = g.adminOtherMode();
    if (other !== undefined) return "Raid admin: " + a + ". Not synced: " + other + ".";
    return "Raid admin: " + a + (a === platform.playerName() ? " (you)." : ".");
  };
  app.addCommand("admin", "admin [name]", "show the raid admin, or (raid leader) choose one", (rest) => {
    if (rest === "") {
      app.say(adminLine());
      return;
    }
    let name = rest;
    for (const m of platform.roster()) if (m.name.toLowerCase() === rest.toLowerCase()) name = m.name;
    g.designate(name);
  });
  app.addCommand("status", "status", "this client's mode, the raid admin, and players whose mode differs (they are not synced)", () => {
    app.say(app.mode === "companion" ? "Mode: companion (next to OG-RaidHelper, over its plan)." : "Mode: standalone (without OG-RaidHelper, over OGRH Sync's own plan).");
    app.say(adminLine());
    const others = g.otherModes();
    const byLayout: { [layout: string]: string[] } = {};
    for (const m of platform.roster()) {
      const theirs = others[m.name];
      if (theirs === undefined) continue;
      const list = byLayout[theirs] ?? [];
      byLayout[theirs] = list;
      list.push(m.name);
    }
    let any = false;
    for (const theirs in byLayout) {
      any = true;
      app.say("Not synced with you, running OGRH Sync " + layoutWords(theirs) + ": " + byLayout[theirs].join(", ") + ".");
    }
    if (!any) app.say("No player of the other mode heard.");
    const pending = g.repair.pending().length;
    if (pending > 0 || g.repair.busy()) app.say("Repairs: " + pending + " queued" + (g.repair.busy() ? ", one running." : "."));
  });
  app.addCommand("validate", "validate", "check the whole plan (every raid) against the raid admin and repair differences", () => {
    g.validateFull(undefined);
  });

  return g;
}
