// Self tests for the addon's boot: the saved variable exists, has the schema, repairs itself.
import type { Platform } from "../core/platform";
import { ensureSV, SCHEMA_VERSION, SV_NAME, SVTable } from "../store/sv";
import { registerSuite } from "./registry";

export function registerBootSuite(platform: Platform): void {
  registerSuite("boot", [
    {
      name: "OGRH_SV exists with the current schema version",
      run: (check) => {
        const sv = platform.getGlobal(SV_NAME) as SVTable | undefined;
        check.ok(typeof sv === "object", "OGRH_SV is a table");
        check.eq(sv?.schemaVersion, SCHEMA_VERSION, "schema version");
      },
    },
    {
      name: "EnsureSV repairs a wrong-typed key and keeps the bad value",
      run: (check) => {
        const saved = platform.getGlobal(SV_NAME);
        const scratch: SVTable = { consumes: "garbage" };
        platform.setGlobal(SV_NAME, scratch);
        let report;
        try {
          report = ensureSV(platform);
        } finally {
          platform.setGlobal(SV_NAME, saved);
        }
        check.ok(typeof scratch.consumes === "object", "consumes reset to a table");
        const quarantine = scratch.quarantine as SVTable;
        check.eq(quarantine.consumes, "garbage", "bad value kept");
        check.eq(report.repaired[0], "consumes", "repair reported");
      },
    },
    {
      name: "the global OGRH exposes EnsureSV",
      run: (check) => {
        const ogrh = platform.getGlobal("OGRH") as { EnsureSV?: unknown } | undefined;
        check.ok(ogrh !== undefined && typeof ogrh.EnsureSV === "function", "OGRH.EnsureSV is a function");
      },
    },
  ]);
}
