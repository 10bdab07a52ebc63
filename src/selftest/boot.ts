// Self tests for the addon's boot: the saved variable exists, has the schema, repairs itself.
import type { Platform } from "../core/platform";
import { ensureSV, SCHEMA_VERSION, planGlobal, SVTable } from "../store/sv";
import { registerSuite } from "./registry";

export function registerBootSuite(platform: Platform): void {
  registerSuite("boot", [
    {
      name: "OGRH_SV exists with the current schema version",
      run: (check) => {
        const sv = platform.getGlobal(planGlobal()) as SVTable | undefined;
        check.ok(typeof sv === "object", "OGRH_SV is a table");
        check.eq(sv?.schemaVersion, SCHEMA_VERSION, "schema version");
      },
    },
    {
      name: "EnsureSV repairs a wrong-typed key and keeps the bad value",
      run: (check) => {
        const saved = platform.getGlobal(planGlobal());
        const scratch: SVTable = { consumes: "garbage" };
        platform.setGlobal(planGlobal(), scratch);
        let report;
        try {
          report = ensureSV(platform);
        } finally {
          platform.setGlobal(planGlobal(), saved);
        }
        check.ok(typeof scratch.consumes === "object", "consumes reset to a table");
        const quarantine = scratch.quarantine as SVTable;
        check.eq(quarantine.consumes, "garbage", "bad value kept");
        check.eq(report.repaired[0], "consumes", "repair reported");
      },
    },
    {
      name: "the global OGRH_Sync exposes EnsureSV (and is OGRH in standalone mode)",
      run: (check) => {
        const api = platform.getGlobal("OGRH_Sync") as { EnsureSV?: unknown; MODE?: unknown } | undefined;
        check.ok(api !== undefined && typeof api.EnsureSV === "function", "OGRH_Sync.EnsureSV is a function");
        if (api?.MODE === "standalone") check.ok(platform.getGlobal("OGRH") === api, "OGRH is OGRH_Sync");
      },
    },
  ]);
}
