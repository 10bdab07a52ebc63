// Rollback's slash commands (under app.slash, e.g. /ogrh): backup [label], backups, restore <id> [confirm], delete <id>,
// pin <id>, unpin <id>, export <id>, import, defaults [confirm]. Replacing the plan asks for
// "confirm" first.
import type { RollbackContext } from "./context";
import * as Create from "./create";
import * as Manage from "./manage";
import * as Restore from "./restore";
import * as Transfer from "./transfer";

function words(rest: string): string[] {
  const out: string[] = [];
  let n = 0;
  let start = 0;
  const len = rest.length;
  for (let i = 0; i <= len; i++) {
    if (i === len || rest.charAt(i) === " ") {
      if (i > start) {
        out[n] = rest.substring(start, i);
        n++;
      }
      start = i + 1;
    }
  }
  return out;
}

function listBackups(c: RollbackContext): void {
  const all = Manage.list(c);
  if (all.length === 0) {
    c.say("No backups yet. " + c.app.slash + " backup [label] makes one.");
    return;
  }
  c.say("Backups (newest first):");
  for (const b of all) {
    c.platform.print(
      "  #" + b.id + " " + b.timeText + " - " + b.label + " (" + b.reason + ", " + b.sizeText + ")" + (b.pinned ? " [pinned]" : "") + (b.damaged ? " [damaged]" : ""),
    );
  }
}

function restore(c: RollbackContext, rest: string): void {
  const slash = c.app.slash;
  const w = words(rest);
  const id = Number(w[0]);
  const e = c.backups.find(id);
  if (e === undefined) {
    c.say(w.length === 0 ? "Usage: " + slash + " restore <id> (see " + slash + " backups)" : "No backup #" + w[0] + ".");
    return;
  }
  if (w[1] !== "confirm") {
    c.say("This will replace all current data with backup #" + e.id + " (" + e.label + "). A safety backup will be created first. Type " + slash + " restore " + e.id + " confirm to continue.");
    return;
  }
  const failure = Restore.restoreBackup(c, id, undefined);
  if (failure !== undefined) c.say(failure);
}

function loadDefaults(c: RollbackContext, rest: string): void {
  // Refused before asking: there is nothing to confirm.
  const refused = Restore.defaultsRefusal(c);
  if (refused !== undefined) {
    c.say(refused);
    return;
  }
  if (rest !== "confirm") {
    c.say("This will replace all current data with the shipping defaults. A backup will be created first. Type " + c.app.slash + " defaults confirm to continue.");
    return;
  }
  const failure = Restore.loadDefaults(c);
  if (failure !== undefined) c.say("Load Defaults failed: " + failure);
}

export function registerCommands(c: RollbackContext): void {
  const { app, say } = c;
  const report = (failure: string | undefined, ok: string) => say(failure === undefined ? ok : failure);
  app.addCommand("backup", "backup [label]", "create a pinned manual backup", (rest) => {
    report(Create.createBackup(c, rest === "" ? "Manual backup" : rest, "Manual", { pinned: true }, undefined), "Creating backup...");
  });
  app.addCommand("backups", "backups", "list the backups, newest first", () => listBackups(c));
  app.addCommand("restore", "restore <id>", "replace the plan with a backup (a safety backup is made first)", (rest) => restore(c, rest));
  app.addCommand("delete", "delete <id>", "delete a backup", (rest) => {
    report(Manage.deleteBackup(c, rest), "Backup #" + rest + " deleted.");
  });
  app.addCommand("pin", "pin <id>", "keep a backup from automatic deletion", (rest) => {
    report(Manage.setPinned(c, rest, true), "Backup #" + rest + " pinned.");
  });
  app.addCommand("unpin", "unpin <id>", "let retention delete a backup again", (rest) => {
    report(Manage.setPinned(c, rest, false), "Backup #" + rest + " unpinned.");
  });
  app.addCommand("export", "export <id>", "make the export text of a backup (to copy to another client)", (rest) => {
    const failure = Transfer.exportBackup(c, rest, undefined);
    if (failure !== undefined) say(failure);
  });
  app.addCommand("import", "import", "import an exported backup", () => {
    say("Paste the exported text in the Import box of the Data Management window (or call OGRH.Rollback.ImportBackup(text)).");
  });
  const defaultsHelp = app.mode === "companion" ? "(standalone only; next to OG-RaidHelper use its Load Defaults)" : "replace the plan with the shipping defaults (backed up first)";
  app.addCommand("defaults", "defaults", defaultsHelp, (rest) => loadDefaults(c, rest));
}
