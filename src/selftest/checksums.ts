// /ogrh test checksums: the testing criteria of spec 6.1.1-6.1.4 on a scratch copy of the
// shipping plan (every default raid), plus the serialiser and the cached tree.
import { Store } from "../store/store";
import { defaultRaidNames } from "../store/defaults";
import { registerSuite } from "./registry";
import { ogrhFn, PublicApi, scratchPlan } from "./scratch";

type Table = any;

const COMPONENT_EDITS: [string, string][] = [
  ["encounterMetadata", "meta"],
  ["roles", "roles"],
  ["playerAssignments", "assign"],
  ["raidMarks", "marks"],
  ["assignmentNumbers", "numbers"],
  ["announcements", "announce"],
];

export function registerChecksumsSuite(api: PublicApi, store: Store): void {
  const Compute = ogrhFn(api, "ComputeGlobalComponentChecksum");
  const Raid = ogrhFn(api, "ComputeRaidChecksum");
  const Enc = ogrhFn(api, "ComputeEncounterChecksum");
  const Comp = ogrhFn(api, "ComputeComponentChecksum");
  const FindEncounter = ogrhFn(api, "FindEncounterByName");
  const onScratch = (fn: (sv: Table) => void) => {
    const sv = scratchPlan();
    store.withScratch(sv, () => fn(sv));
  };
  /** Edits one component of an encounter directly in the tables. */
  const editComponent = (sv: Table, raid: string, enc: string, component: string) => {
    if (component === "encounterMetadata") {
      const e = FindEncounter(raid, enc);
      e.advancedSettings.bigwigsEnabled = false;
      return;
    }
    const where: { [c: string]: Table } = {
      roles: sv.encounterMgmt.roles,
      playerAssignments: sv.encounterAssignments,
      raidMarks: sv.encounterRaidMarks,
      assignmentNumbers: sv.encounterAssignmentNumbers,
      announcements: sv.encounterAnnouncements,
    };
    const t = where[component];
    if (t[raid] === undefined) t[raid] = {};
    if (t[raid][enc] === undefined) t[raid][enc] = {};
    t[raid][enc].selfTestEdit = component;
  };

  registerSuite("checksums", [
    {
      name: "6.1.1 global components: stable, and a change changes only that checksum",
      run: (check) =>
        onScratch((sv) => {
          for (const name of ["tradeItems", "consumes", "rgo"]) {
            const before: { [n: string]: string } = {};
            for (const other of ["tradeItems", "consumes", "rgo"]) before[other] = Compute(other);
            check.eq(Compute(name), before[name], name + " stable");
            if (name === "rgo") sv.rgo.tanks[1] = "PlayerA";
            else sv[name][1] = { changed: name };
            check.ok(Compute(name) !== before[name], name + " changed");
            for (const other of ["tradeItems", "consumes", "rgo"]) {
              if (other !== name) check.eq(Compute(other), before[other], other + " unchanged by " + name);
            }
          }
          check.eq(Compute("nosuch"), "0", "unknown global component");
        }),
    },
    {
      name: "6.1.2 every default raid: metadata and encounter list change it, other raids do not",
      run: (check) =>
        onScratch((sv) => {
          const raids = defaultRaidNames();
          for (const name of raids) {
            const all: { [n: string]: string } = {};
            for (const r of raids) all[r] = Raid(r);
            check.ok(all[name] !== "0" && Raid(name) === all[name], name + " stable");
            const raid = sv.encounterMgmt.raids[name];
            const firstEnc = raid.encounters[1].name;
            editComponent(sv, name, firstEnc, "playerAssignments");
            check.eq(Raid(name), all[name], name + " ignores encounter contents");
            raid.advancedSettings.consumeTracking = false;
            const cs2 = Raid(name);
            check.ok(cs2 !== all[name], name + " metadata change");
            let n = 0;
            while (raid.encounters[n + 1] !== undefined) n++;
            raid.encounters[n + 1] = { name: "Test" };
            check.ok(Raid(name) !== cs2, name + " encounter list change");
            for (const r of raids) if (r !== name) check.eq(Raid(r), all[r], r + " unchanged by " + name);
          }
          check.eq(Raid("nosuch"), "0", "unknown raid");
        }),
    },
    {
      name: "6.1.3 every encounter: metadata changes it, its neighbours do not",
      run: (check) =>
        onScratch((sv) => {
          for (const raidName of defaultRaidNames()) {
            const list = sv.encounterMgmt.raids[raidName].encounters as Table[];
            for (const e of list) {
              const others: { [n: string]: string } = {};
              for (const o of list) others[o.name] = Enc(raidName, o.name);
              check.eq(Enc(raidName, e.name), others[e.name], raidName + " > " + e.name + " stable");
              FindEncounter(raidName, e.name).advancedSettings.bigwigsEnabled = false;
              check.ok(Enc(raidName, e.name) !== others[e.name], raidName + " > " + e.name + " metadata change");
              for (const o of list) if (o.name !== e.name) check.eq(Enc(raidName, o.name), others[o.name], raidName + " > " + o.name + " unchanged");
            }
          }
          check.eq(Enc("BWL", "nosuch"), "0", "unknown encounter");
        }),
    },
    {
      name: "6.1.4 each component changes alone (Razorgore, Vaelastrasz, Broodlord)",
      run: (check) =>
        onScratch((sv) => {
          const cs1 = Comp("BWL", "Razorgore", "playerAssignments");
          const rolesCs1 = Comp("BWL", "Razorgore", "roles");
          sv.encounterAssignments.BWL.Razorgore[1][1] = "NewPlayer";
          check.ok(Comp("BWL", "Razorgore", "playerAssignments") !== cs1, "assignment change changes playerAssignments");
          check.eq(Comp("BWL", "Razorgore", "roles"), rolesCs1, "assignment change leaves roles");
          for (const enc of ["Razorgore", "Vaelastrasz", "Broodlord"]) {
            for (const [component] of COMPONENT_EDITS) {
              const before: { [c: string]: string } = {};
              for (const [c] of COMPONENT_EDITS) before[c] = Comp("BWL", enc, c);
              editComponent(sv, "BWL", enc, component);
              for (const [c] of COMPONENT_EDITS) {
                if (c === component) check.ok(Comp("BWL", enc, c) !== before[c], enc + " " + c + " changed");
                else check.eq(Comp("BWL", enc, c), before[c], enc + " " + c + " unchanged by " + component);
              }
            }
          }
          check.eq(Comp("BWL", "Razorgore", "nosuch"), "0", "unknown component");
        }),
    },
    {
      name: "a component checksum is HashString of its canonical text, which round-trips",
      run: (check) =>
        onScratch(() => {
          const si = api.SyncIntegrity as Table;
          const st = api.Store as Table;
          for (const component of ["roles", "raidMarks", "announcements", "encounterMetadata", "playerAssignments"]) {
            const ref = { level: "COMPONENT", raid: "BWL", encounter: "Razorgore", component };
            const text = st.SerializeNode(ref);
            check.eq(ogrhFn(api, "HashString")(text), Comp("BWL", "Razorgore", component), component + " checksum = HashString(text)");
            const value = si.Deserialize(text);
            check.eq(si.Serialize(value), text, component + " round trip");
          }
        }),
    },
    {
      name: "edits through OGRH.Store keep the cached tree equal to a fresh computation",
      run: (check) =>
        onScratch(() => {
          const si = api.SyncIntegrity as Table;
          const st = api.Store as Table;
          let heard = 0;
          const id = st.OnChange(() => {
            heard++;
          });
          st.Set(["encounterAssignments", "BWL", "Razorgore", 3, 1], "Aelindra");
          st.Set(["encounterMgmt", "raids", "MC", "advancedSettings", "consumeTracking", "enabled"], false);
          st.Set(["consumes", 1, "primaryId"], 1);
          st.RemoveListener(id);
          const fresh = ogrhFn(api, "GetAllHierarchicalChecksums")();
          check.eq(si.GetStructureChecksum(), fresh.structure, "cached structure equals fresh");
          check.eq(heard, 0, "listeners stay silent during self tests");
        }),
    },
  ]);
}
