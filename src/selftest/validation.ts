// /ogrh test validation: spec 6.2 on a scratch copy of the shipping plan: self-validation passes,
// global / raid / component corruption is located and reported with the spec's lines, partial and
// malformed remote hierarchies give clear results without errors.
import { Store } from "../store/store";
import { registerSuite } from "./registry";
import { ogrhFn, PublicApi, scratchPlan } from "./scratch";

type Table = any;

function hasLine(lines: string[], line: string): boolean {
  for (const l of lines) if (l === line) return true;
  return false;
}

export function registerValidationSuite(api: PublicApi, store: Store): void {
  const All = ogrhFn(api, "GetAllHierarchicalChecksums");
  const Validate = ogrhFn(api, "ValidateStructureHierarchy");
  const Format = ogrhFn(api, "FormatValidationResult");
  const onScratch = (fn: (sv: Table) => void) => {
    const sv = scratchPlan();
    store.withScratch(sv, () => fn(sv));
  };

  registerSuite("validation", [
    {
      name: "self-validation passes",
      run: (check) =>
        onScratch(() => {
          const result = Validate(All());
          check.eq(result.valid, true, "valid");
          check.eq(result.level, "STRUCTURE", "level");
          check.eq(Format(result)[1], "Validation passed", "report");
        }),
    },
    {
      name: "global corruption is located",
      run: (check) =>
        onScratch((sv) => {
          const remote = All();
          sv.consumes[1].primaryId = 1;
          const result = Validate(remote);
          check.eq(result.valid, false, "invalid");
          check.eq(result.level, "GLOBAL", "level");
          check.eq(result.corrupted.global[1], "consumes", "global list");
          check.ok(hasLine(Format(result), "Structure mismatch detected: Global component 'consumes'"), "report line");
        }),
    },
    {
      name: "component corruption is located (BWL > Razorgore > playerAssignments)",
      run: (check) =>
        onScratch((sv) => {
          const remote = All();
          sv.encounterAssignments.BWL.Razorgore[1][1] = "NewPlayer";
          const result = Validate(remote);
          check.eq(result.level, "COMPONENT", "level");
          check.eq(result.corrupted.raids.BWL.raidLevel, false, "raid metadata intact");
          check.eq(result.corrupted.raids.BWL.encounters.Razorgore[1], "playerAssignments", "component");
          check.ok(hasLine(Format(result), "Structure mismatch detected: BWL > Razorgore > playerAssignments"), "report line");
        }),
    },
    {
      name: "raid metadata corruption is located",
      run: (check) =>
        onScratch((sv) => {
          const remote = All();
          sv.encounterMgmt.raids.BWL.advancedSettings.consumeTracking = false;
          const result = Validate(remote);
          check.eq(result.level, "RAID", "level");
          check.eq(result.corrupted.raids.BWL.raidLevel, true, "raidLevel");
          check.ok(hasLine(Format(result), "Structure mismatch detected: BWL (raid metadata)"), "report line");
        }),
    },
    {
      name: "a lightweight remote (global + raid level) asks for a drill-down",
      run: (check) =>
        onScratch((sv) => {
          const remote = (api.SyncIntegrity as Table).GetLightweightChecksums();
          sv.encounterAnnouncements.BWL.Razorgore[1] = "changed";
          const result = Validate(remote);
          check.eq(result.valid, false, "invalid");
          check.eq(result.corrupted.raids.BWL.drillDown, true, "drill-down flagged");
          check.ok(hasLine(Format(result), "Structure mismatch detected: BWL (encounter data; drill-down needed)"), "report line");
        }),
    },
    {
      name: "missing raids and encounters on either side are reported",
      run: (check) =>
        onScratch((sv) => {
          const remote = All();
          remote.raids.Extra = { raid: "x", rollup: "y" };
          remote.raids.BWL.encounters.Razorgore = undefined;
          remote.raids.BWL.rollup = "different";
          sv.encounterMgmt.raids.ZG = undefined;
          const lines = Format(Validate(remote));
          check.ok(hasLine(lines, "Structure mismatch detected: Extra (raid missing locally)"), "raid missing locally");
          check.ok(hasLine(lines, "Structure mismatch detected: ZG (raid missing locally)"), "raid deleted locally");
          check.ok(hasLine(lines, "Structure mismatch detected: BWL > Razorgore (encounter missing remotely)"), "encounter missing remotely");
        }),
    },
    {
      name: "malformed remote hierarchies give a result, never an error",
      run: (check) =>
        onScratch(() => {
          const bad: unknown[] = ["text", 42, true, {}, { raids: 5 }, { global: "x", raids: { BWL: 7 } }, { raids: { BWL: { encounters: { Razorgore: { components: 3 } } } } }, { structure: {} }];
          for (const remote of bad) {
            const result = Validate(remote);
            check.eq(result.valid, false, "invalid: " + String(remote));
            check.ok(Format(result)[1] !== undefined, "formatted");
          }
          check.eq(Validate(undefined).valid, false, "nil remote");
          check.ok(Format("junk")[1] !== undefined, "format of junk");
        }),
    },
  ]);
}
