// Data saved by OGRH Sync 0.1.0 under the names it shared with OG-RaidHelper (OGRH_SV with a
// numeric schemaVersion, OGRH_Backups). Runs at ADDON_LOADED before anything reads the plan.
// Decision (docs/user-guide.md "Upgrading from 0.1.0"): backups always move to OGRH_Sync_Backups
// (OGRH_Backups was only ever ours); the plan moves to OGRH_Sync_SV only in standalone mode.
// Next to OG-RaidHelper, OGRH_SV is its table: we never read our plan out of it nor write to it.
import { Platform } from "../core/platform";
import { BACKUPS_SV as BACKUPS_NAME } from "../rollback/storage";
import { isTable } from "../core/values";
import { SAVED_SV_NAME, SPEC_SV_NAME } from "./sv";

export const LEGACY_BACKUPS = "OGRH_Backups";

/** Moves 0.1.0 data to our own names when ours are still empty; returns lines for the player. */
export function adoptLegacy(platform: Platform, standalone: boolean): string[] {
  const said: string[] = [];
  const oldBackups = platform.getGlobal(LEGACY_BACKUPS);
  if (platform.getGlobal(BACKUPS_NAME) === undefined && isTable(oldBackups)) {
    platform.setGlobal(BACKUPS_NAME, oldBackups);
    platform.setGlobal(LEGACY_BACKUPS, undefined);
    said.push("Backups saved by version 0.1.0 were moved to OGRH_Sync_Backups.");
  }
  const old = platform.getGlobal(SPEC_SV_NAME);
  if (old === undefined || platform.getGlobal(SAVED_SV_NAME) !== undefined) return said;
  if (standalone) {
    // Without OG-RaidHelper the only source of an OGRH_SV is 0.1.0's saved file: take it whole
    // (EnsureSV then repairs or quarantines it as it always did).
    platform.setGlobal(SAVED_SV_NAME, old);
    if (isTable(old)) said.push("The plan saved by version 0.1.0 (OGRH_SV) is now kept in OGRH_Sync_SV.");
    return said;
  }
  // 0.1.0 wrote schemaVersion 1 (a number); OG-RaidHelper writes the string "v2".
  if (isTable(old) && (old as { schemaVersion?: unknown }).schemaVersion === 1) {
    said.push(
      "OGRH_SV has the layout of OGRH Sync 0.1.0, which shared it with OG-RaidHelper; it is left untouched. See the troubleshooting guide, \"Upgrading from 0.1.0\".",
    );
  }
  return said;
}
