// /ogrh test granular: the granular sync without the network, on scratch copies of the shipping
// plan (the player's OGRH_SV is never touched): the public API and message types, repair priority
// and smart level selection, and for every level the round trip requester sub-hashes -> admin
// answer (differences only) -> rebuilt node with the admin's checksum; a tampered answer is refused.
import type { Store } from "../store/store";
import type { Granular } from "../sync/granular";
import type { NodeRef } from "../store/store";
import { planRepairs } from "../sync/repair";
import { buildAnswer, composeNode, currentChecksum, subHashes } from "../sync/nodes";
import { registerSuite } from "./registry";
import { PublicApi, scratchPlan } from "./scratch";

type Table = any;

/** `app` is the App (typed by what the suite reads, so the self tests do not import the app). */
export function registerGranularSuite(app: { api: PublicApi; store: Store }, g: Granular): void {
  const store = app.store;

  /** Runs the sync of `ref` from plan `admin` to plan `member` on scratch copies; returns what happened. */
  const roundTrip = (ref: NodeRef, corrupt: (sv: Table) => void) => {
    const admin = scratchPlan();
    const member = scratchPlan();
    corrupt(member);
    let hashes: Table;
    let before = "";
    store.withScratch(member, () => {
      hashes = subHashes(store, ref);
      before = currentChecksum(store, ref);
    });
    let answer: Table;
    let adminSum = "";
    store.withScratch(admin, () => {
      answer = buildAnswer(store, ref, [hashes], 1).answer;
      adminSum = currentChecksum(store, ref);
    });
    let applied: string | undefined = "not run";
    let after = "";
    store.withScratch(member, () => {
      const c = composeNode(store, ref, answer);
      applied = c.error ?? store.apply(ref, c.payload, "selftest", answer.x);
      after = currentChecksum(store, ref);
    });
    return { before, after, adminSum, answer, applied };
  };

  registerSuite("granular", [
    {
      name: "OGRH.SyncGranular exposes the spec API and 15 message types",
      run: (check) => {
        const sg = app.api.SyncGranular as Table;
        check.ok(sg !== undefined, "OGRH.SyncGranular exists");
        for (const fn of ["SyncComponent", "SyncEncounter", "SyncRaid", "SyncGlobalComponent", "QueueRepair", "SetSelection", "ValidateFullStructure"]) {
          check.eq(typeof sg[fn], "function", fn);
        }
        let n = 0;
        for (const _ of sg.MESSAGE_TYPES as string[]) n++;
        check.eq(n, 15, "message types");
      },
    },
    {
      name: "repair priority: selected encounter CRITICAL, same raid HIGH, other raids NORMAL",
      run: (check) => {
        const jobs = planRepairs(
          { raids: { BWL: { encounters: { Razorgore: ["roles"], Vaelastrasz: [] } }, MC: { encounters: { Lucifron: ["raidMarks"] } } } },
          { raid: "MC", encounter: "Lucifron" },
        );
        check.eq(jobs[0].priority + " " + jobs[0].label, "CRITICAL MC > Lucifron > raidMarks", "first job");
        check.eq(jobs[1].priority + " " + jobs[1].level, "NORMAL RAID", "BWL with two encounters: raid sync");
      },
    },
    {
      name: "smart selection: 1-2 components, 3+ components -> encounter, 3+ raids -> full structure",
      run: (check) => {
        const two = planRepairs({ raids: { BWL: { encounters: { Razorgore: ["roles", "raidMarks"] } } } }, {});
        check.eq(two.length, 2, "two component syncs");
        const three = planRepairs({ raids: { BWL: { encounters: { Razorgore: ["roles", "raidMarks", "announcements"] } } } }, {});
        check.eq(three[0].level, "ENCOUNTER", "encounter sync");
        const raids = planRepairs({ raids: { BWL: { raidLevel: true }, MC: { raidLevel: true }, ZG: { raidLevel: true } } }, {});
        check.eq(raids[0].level, "STRUCTURE", "full sync");
      },
    },
    {
      name: "component sync sends only the differing entry and rebuilds the admin's checksum",
      run: (check) => {
        const r = roundTrip({ level: "COMPONENT", raid: "BWL", encounter: "Razorgore", component: "playerAssignments" }, (sv) => {
          sv.encounterAssignments.BWL.Razorgore[2][1] = "Intruder";
        });
        check.ok(r.before !== r.adminSum, "corrupted before");
        check.ok(r.answer.D !== undefined && r.answer.P === undefined, "a delta, not the whole component");
        check.eq(r.applied, undefined, "applied");
        check.eq(r.after, r.adminSum, "checksum equals the admin's");
      },
    },
    {
      name: "encounter sync sends only the differing components",
      run: (check) => {
        const r = roundTrip({ level: "ENCOUNTER", raid: "BWL", encounter: "Razorgore" }, (sv) => {
          sv.encounterAssignments.BWL.Razorgore = {};
          sv.encounterMgmt.roles.BWL.Razorgore.column1 = {};
          sv.encounterRaidMarks.BWL.Razorgore = { [1]: 8 };
        });
        let n = 0;
        for (const _ in r.answer.E) n++;
        check.eq(n, 3, "three components sent");
        check.eq(r.applied, undefined, "applied");
        check.eq(r.after, r.adminSum, "checksum equals the admin's");
      },
    },
    {
      name: "raid sync sends only the differing encounters; global sync works",
      run: (check) => {
        const r = roundTrip({ level: "RAID", raid: "BWL" }, (sv) => {
          sv.encounterAssignments.BWL.Vaelastrasz = { [1]: { [1]: "Someone" } };
        });
        let n = 0;
        for (const _ of r.answer.L as string[]) n++;
        check.eq(n, 1, "one encounter sent");
        check.eq(r.after, r.adminSum, "raid rollup equals the admin's");
        const gl = roundTrip({ level: "GLOBAL", component: "consumes" }, (sv) => {
          sv.consumes[1] = { primaryName: "Changed" };
        });
        check.eq(gl.after, gl.adminSum, "consumes equals the admin's");
      },
    },
    {
      name: "an answer whose data does not match its checksum changes nothing",
      run: (check) => {
        const ref: NodeRef = { level: "COMPONENT", raid: "BWL", encounter: "Razorgore", component: "playerAssignments" };
        const member = scratchPlan();
        store.withScratch(member, () => {
          const before = currentChecksum(store, ref);
          const bad = { x: "0123456789abc", p: { [1]: { [1]: "Forged" } } };
          const c = composeNode(store, ref, bad);
          check.ok(store.nodeChecksum(ref, c.payload) !== bad.x, "mismatch detected");
          check.ok(store.apply(ref, c.payload, "selftest", bad.x) !== undefined, "apply refused");
          check.eq(currentChecksum(store, ref), before, "unchanged");
        });
      },
    },
    {
      name: "the selection used for priorities can be set and read",
      run: (check) => {
        const saved = g.selection();
        g.setSelection("BWL", "Razorgore");
        check.eq(g.selection().encounter, "Razorgore", "selection");
        g.setSelection(saved.raid, saved.encounter);
      },
    },
  ]);
}
