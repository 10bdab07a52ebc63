// A scratch plan for self tests: the shipping defaults plus a few assignments. Self tests run on it
// through Store.withScratch, so the player's OGRH_SV is never touched.
import { buildDefaults } from "../store/defaults";
import { SCHEMA_VERSION } from "../store/sv";

type Table = any;

export function scratchPlan(): Table {
  const plan: Table = buildDefaults();
  plan.schemaVersion = SCHEMA_VERSION;
  plan.encounterAssignments = {
    BWL: {
      Razorgore: { [1]: { [1]: "Tankmedady" }, [2]: { [1]: "Gnuzench", [2]: "Sunderwhere" } },
      Vaelastrasz: { [1]: { [1]: "Tankmedady" } },
    },
  };
  return plan;
}

/** The public OGRH table as the self tests read it (typed loosely, as Lua callers see it). */
export type PublicApi = { [name: string]: unknown };

/** The OGRH function `name`. */
export function ogrhFn(api: PublicApi, name: string): (...args: any[]) => any {
  return api[name] as (...args: any[]) => any;
}
