// The Data Management window (spec 6.4.2, 6.5.2, 6.5.4): validate the structure against the raid's
// admin, inspect the differences as a tree, repair at a chosen level from the raid admin,
// and manage backups (create, restore, delete, pin, export, import). Opened by `/ogrh data`.
//
// Built from a Toolkit (src/ui/toolkit.ts) so no client global is touched here. Lists draw through a
// fixed pool of row frames (paging.ts): a refresh costs the same for 10 rows or 1,000. State and
// widgets live in two tables so that no handler closes over more than a few locals (Lua 5.0 allows
// 32 upvalues per function).
import type { App } from "../app";
import type { Backend, BackupInfo } from "./backend";
import { formatDuration, formatProgress, formatSize, formatStamp, formatTimestamp, progressFraction, transferSeconds } from "../core/format";
import { pageOf, reveal, wheel } from "./paging";
import type { RepairTarget } from "./targets";
import type { Toolkit } from "./toolkit";
import type { Hierarchy } from "../integrity/tree";
import type { ValidationResult } from "../integrity/validate";
import type { NodeLevel } from "../core/schema";
import {
  buildTree,
  planOrder,
  REPAIR_LEVEL_NAMES,
  REPAIR_LEVELS,
  repairRequest,
  SEVERITY_COLORS,
  shortSum,
  STATUS_COLORS,
  STATUS_NAMES,
  TreeModel,
} from "./tree";

export const WINDOW_NAME = "OGRHDataManagement";
export const CREATE_DIALOG_NAME = "OGRHDataCreateBackup";
export const TEXT_DIALOG_NAME = "OGRHDataBackupText";
export const TREE_ROWS = 12;
export const BACKUP_ROWS = 12;
const ROW_HEIGHT = 18;
const WIDTH = 660;
const HEIGHT = 500;
const PANE_WIDTH = WIDTH - 32;

type Tab = "STRUCTURE" | "BACKUPS";

interface TreeRowWidgets {
  button: WowButton;
  selected: WowTexture;
  name: WowFontString;
  status: WowFontString;
  localSum: WowFontString;
  remoteSum: WowFontString;
  severity: WowFontString;
}

interface BackupRowWidgets {
  button: WowButton;
  selected: WowTexture;
  date: WowFontString;
  label: WowFontString;
  reason: WowFontString;
  size: WowFontString;
  pinned: WowFontString;
}

interface Widgets {
  frame: WowFrame;
  tabStructure: WowButton;
  tabBackups: WowButton;
  structurePane: WowFrame;
  backupsPane: WowFrame;
  validate: WowButton;
  validateStatus: WowFontString;
  treeRows: TreeRowWidgets[];
  treeBar: WowSlider;
  treeEmpty: WowFontString;
  levels: WowButton[];
  targetText: WowFontString;
  targetHint: WowFontString;
  repair: WowButton;
  progressBack: WowTexture;
  progressFill: WowTexture;
  progressText: WowFontString;
  structureNotice: WowFontString;
  backupRows: BackupRowWidgets[];
  backupBar: WowSlider;
  backupEmpty: WowFontString;
  backupDetail: WowFontString;
  restore: WowButton;
  remove: WowButton;
  pin: WowButton;
  exportButton: WowButton;
  importButton: WowButton;
  create: WowButton;
  backupNotice: WowFontString;
  createDialog: WowFrame;
  createLabel: WowEditBox;
  createSize: WowFontString;
  textDialog: WowFrame;
  textTitle: WowFontString;
  textHint: WowFontString;
  textBox: WowEditBox;
  textImport: WowButton;
}

interface State {
  app: App;
  ui: Toolkit;
  backend: Backend;
  w: Widgets | undefined;
  tab: Tab;
  model: TreeModel | undefined;
  validatedAgainst: string | undefined;
  treeOffset: number;
  selectedRow: number;
  level: NodeLevel;
  /** Who a repair asks: the raid admin when online (targets.ts). */
  target: RepairTarget | undefined;
  validating: boolean;
  repairing: boolean;
  /** The data changed since the last validation. */
  stale: boolean;
  progressDone: number;
  progressTotal: number | undefined;
  progressStarted: number;
  backups: BackupInfo[];
  backupOffset: number;
  selectedBackup: number;
  /** Backup index waiting for a confirmation (restore or delete). */
  pendingId: unknown;
  /** Lines for tests and the chat: what the last action said. */
  lastNotice: string;
}

/** @noSelf */
export interface DataManagementApi {
  Open: () => void;
  Close: () => void;
  Toggle: () => void;
  IsShown: () => boolean;
  ShowTab: (tab: string) => void;
  Refresh: () => void;
  /**
   * Shows a validation result in the tree (what Validate Structure does with its answer; the
   * automatic repair path may call it too). remote: the hierarchy compared with; source: whose.
   */
  ShowValidation: (result: ValidationResult, local: Hierarchy, remote: Hierarchy | undefined, source: string | undefined) => void;
  /** Rows of the validation tree as the model holds them (for tests and scripts). */
  GetTreeModel: () => TreeModel | undefined;
  /** How far the repair progress bar is drawn, 0..1 (0 when hidden). */
  ProgressFraction: () => number;
  /** The window's pure helpers (format.ts, tree.ts, paging.ts), callable from Lua with a dot. */
  Util: {
    FormatStamp: typeof formatStamp;
    FormatSize: typeof formatSize;
    FormatDuration: typeof formatDuration;
    FormatProgress: typeof formatProgress;
    TransferSeconds: typeof transferSeconds;
    BuildTree: typeof buildTree;
    RepairRequest: typeof repairRequest;
    PageOf: typeof pageOf;
    Wheel: typeof wheel;
    Reveal: typeof reveal;
  };
}

const WHITE = [1, 1, 1];
const GREY = [0.6, 0.6, 0.6];
const GREEN = [0.25, 1, 0.25];
const RED = [1, 0.3, 0.3];
const GOLD = [1, 0.82, 0];

function color(fs: WowFontString, c: number[]): void {
  fs.SetTextColor(c[0], c[1], c[2]);
}

function enable(b: WowButton, on: boolean): void {
  if (on) b.Enable();
  else b.Disable();
}

function show(region: WowRegion, on: boolean): void {
  if (on) region.Show();
  else region.Hide();
}

// ----- building ---------------------------------------------------------------------------------

function place(region: WowRegion, parent: WowRegion, x: number, y: number): void {
  region.SetPoint("TOPLEFT", parent, "TOPLEFT", x, y);
}

function label(s: State, parent: WowFrame, text: string, x: number, y: number, width: number, font: "normal" | "highlight" | "small" | "smallHighlight" = "normal"): WowFontString {
  const fs = s.ui.text(parent, font, "LEFT");
  place(fs, parent, x, y);
  fs.SetWidth(width);
  fs.SetHeight(14);
  fs.SetText(text);
  return fs;
}

function column(s: State, row: WowFrame, x: number, width: number): WowFontString {
  const fs = s.ui.text(row, "smallHighlight", "LEFT");
  place(fs, row, x, -2);
  fs.SetWidth(width);
  fs.SetHeight(14);
  return fs;
}

/** A column of a pooled list: its header and the font string each row shows it in. */
interface ListColumn {
  key: string;
  header: string;
  x: number;
  width: number;
}

interface PooledList<R> {
  panel: WowFrame;
  rows: R[];
  bar: WowSlider;
  empty: WowFontString;
}

/**
 * A list panel drawn through a fixed pool of row buttons (one font string per column), a scroll
 * bar and the mouse wheel. Row i of the pool reports i; the caller adds its scroll offset.
 */
function pooledList<R>(
  s: State,
  parent: WowFrame,
  panelName: string,
  rowName: string,
  rowCount: number,
  columns: ListColumn[],
  onSelect: (poolIndex: number) => void,
  onScroll: (offset: number) => void,
  onWheel: (delta: number) => void,
): PooledList<R> {
  const ui = s.ui;
  const panel = ui.panel(parent, WINDOW_NAME + panelName);
  panel.SetWidth(PANE_WIDTH);
  panel.SetHeight(24 + rowCount * ROW_HEIGHT + 8);
  for (const c of columns) label(s, panel, c.header, c.x + 6, -8, c.width - 6, "small");
  const rows: R[] = [];
  for (let i = 0; i < rowCount; i++) {
    const index = i;
    const button = ui.rowButton(panel, WINDOW_NAME + rowName + "Row" + (i + 1), ROW_HEIGHT, () => onSelect(index));
    place(button, panel, 6, -24 - i * ROW_HEIGHT);
    button.SetWidth(PANE_WIDTH - 30);
    const selected = ui.fill(button, "BACKGROUND", 0.9, 0.75, 0.1, 0.25);
    selected.SetAllPoints(button);
    const row: { [key: string]: unknown } = { button, selected };
    for (const c of columns) row[c.key] = column(s, button, c.x, c.width);
    rows[i] = row as unknown as R;
  }
  const bar = ui.scrollBar(panel, WINDOW_NAME + rowName + "Scroll", (value) => onScroll(Math.floor(value)));
  bar.SetPoint("TOPRIGHT", panel, "TOPRIGHT", -6, -24);
  bar.SetHeight(rowCount * ROW_HEIGHT);
  ui.onWheel(panel, onWheel);
  const empty = label(s, panel, "", 10, -30, PANE_WIDTH - 40, "highlight");
  return { panel, rows, bar, empty };
}

function buildStructurePane(s: State, frame: WowFrame): Partial<Widgets> {
  const ui = s.ui;
  const pane = CreatePane(s, frame, WINDOW_NAME + "Structure");
  const validate = ui.button(pane, WINDOW_NAME + "Validate", "Validate Structure", 150, 22, () => startValidation(s));
  place(validate, pane, 0, 0);
  const validateStatus = label(s, pane, "Compare your raid plan with the raid admin's.", 160, -4, PANE_WIDTH - 160, "highlight");

  const treeList = pooledList<TreeRowWidgets>(
    s,
    pane,
    "Tree",
    "Tree",
    TREE_ROWS,
    [
      { key: "name", header: "Raid > Encounter > Component", x: 4, width: 250 },
      { key: "status", header: "Status", x: 256, width: 106 },
      { key: "localSum", header: "Local", x: 366, width: 80 },
      { key: "remoteSum", header: "Remote", x: 446, width: 80 },
      { key: "severity", header: "Severity", x: 526, width: 70 },
    ],
    (i) => selectTreeRow(s, s.treeOffset + i),
    (offset) => {
      if (offset !== s.treeOffset) {
        s.treeOffset = offset;
        drawTree(s);
      }
    },
    (delta) => {
      const total = s.model !== undefined ? s.model.rows.length : 0;
      s.treeOffset = wheel(s.treeOffset, delta, total, TREE_ROWS);
      drawTree(s);
    },
  );
  place(treeList.panel, pane, 0, -28);
  const treeRows = treeList.rows;
  const treeBar = treeList.bar;
  const treeEmpty = treeList.empty;

  const repairBox = ui.panel(pane, WINDOW_NAME + "RepairBox");
  place(repairBox, pane, 0, -292);
  repairBox.SetWidth(PANE_WIDTH);
  repairBox.SetHeight(96);
  label(s, repairBox, "Repair level:", 12, -12, 90);
  const levels: WowButton[] = [];
  for (let i = 0; i < REPAIR_LEVELS.length; i++) {
    const level = REPAIR_LEVELS[i];
    const b = ui.button(repairBox, WINDOW_NAME + "Level" + REPAIR_LEVEL_NAMES[level], REPAIR_LEVEL_NAMES[level], 86, 20, () => {
      s.level = level;
      drawStructure(s);
    });
    place(b, repairBox, 104 + i * 90, -9);
    levels[i] = b;
  }
  label(s, repairBox, "Repair from:", 12, -38, 90);
  // Repairs come from the raid admin only: its plan is the one reference (an officer's copy may be
  // stale, and every answer is a broadcast that other members would apply). No selector arrows.
  const targetText = label(s, repairBox, "", 104, -38, 150, "highlight");
  const targetHint = label(s, repairBox, "Repairs always come from the raid admin's plan (the reference), not from officers.", 256, -34, PANE_WIDTH - 256 - 140, "small");
  targetHint.SetHeight(26);
  const repair = ui.button(repairBox, WINDOW_NAME + "Repair", "Repair", 120, 24, () => startRepair(s));
  place(repair, repairBox, PANE_WIDTH - 134, -22);
  const progressBack = ui.fill(repairBox, "ARTWORK", 0.1, 0.1, 0.1, 0.9);
  place(progressBack, repairBox, 12, -66);
  progressBack.SetWidth(PANE_WIDTH - 24);
  progressBack.SetHeight(16);
  const progressFill = ui.fill(repairBox, "OVERLAY", 0.1, 0.55, 0.1, 0.9);
  place(progressFill, repairBox, 12, -66);
  progressFill.SetWidth(1);
  progressFill.SetHeight(16);
  const progressText = label(s, repairBox, "", 12, -67, PANE_WIDTH - 24, "smallHighlight");
  progressText.SetJustifyH("CENTER");

  const structureNotice = label(s, pane, "", 0, -396, PANE_WIDTH, "highlight");
  structureNotice.SetHeight(28);
  return {
    structurePane: pane, validate, validateStatus, treeRows, treeBar, treeEmpty, levels, targetText, targetHint,
    repair, progressBack, progressFill, progressText, structureNotice,
  };
}

function CreatePane(s: State, frame: WowFrame, name: string): WowFrame {
  const pane = s.ui.panel(frame, name);
  // A pane is a plain grouping frame: no backdrop of its own.
  pane.SetBackdrop(undefined);
  pane.SetPoint("TOPLEFT", frame, "TOPLEFT", 16, -62);
  pane.SetPoint("BOTTOMRIGHT", frame, "BOTTOMRIGHT", -16, 16);
  return pane;
}

function buildBackupsPane(s: State, frame: WowFrame): Partial<Widgets> {
  const ui = s.ui;
  const pane = CreatePane(s, frame, WINDOW_NAME + "Backups");
  const backupList = pooledList<BackupRowWidgets>(
    s,
    pane,
    "BackupList",
    "Backup",
    BACKUP_ROWS,
    [
      { key: "date", header: "Date", x: 4, width: 150 },
      { key: "label", header: "Label", x: 158, width: 170 },
      { key: "reason", header: "Reason", x: 332, width: 124 },
      { key: "size", header: "Size", x: 456, width: 64 },
      { key: "pinned", header: "Pinned", x: 524, width: 60 },
    ],
    (i) => selectBackup(s, s.backupOffset + i),
    (offset) => {
      if (offset !== s.backupOffset) {
        s.backupOffset = offset;
        drawBackups(s);
      }
    },
    (delta) => {
      s.backupOffset = wheel(s.backupOffset, delta, s.backups.length, BACKUP_ROWS);
      drawBackups(s);
    },
  );
  place(backupList.panel, pane, 0, 0);
  const backupRows = backupList.rows;
  const backupBar = backupList.bar;
  const backupEmpty = backupList.empty;
  const backupDetail = label(s, pane, "", 0, -264, PANE_WIDTH, "smallHighlight");
  const y = -286;
  const restore = ui.button(pane, WINDOW_NAME + "Restore", "Restore", 96, 22, () => askRestore(s));
  place(restore, pane, 0, y);
  const remove = ui.button(pane, WINDOW_NAME + "Delete", "Delete", 96, 22, () => askDelete(s));
  place(remove, pane, 100, y);
  const pin = ui.button(pane, WINDOW_NAME + "Pin", "Pin", 96, 22, () => togglePin(s));
  place(pin, pane, 200, y);
  const exportButton = ui.button(pane, WINDOW_NAME + "Export", "Export", 96, 22, () => openExport(s));
  place(exportButton, pane, 300, y);
  const importButton = ui.button(pane, WINDOW_NAME + "Import", "Import", 96, 22, () => openImport(s));
  place(importButton, pane, 400, y);
  const create = ui.button(pane, WINDOW_NAME + "Create", "Create Backup", 124, 22, () => openCreate(s));
  place(create, pane, PANE_WIDTH - 124, y);
  const backupNotice = label(s, pane, "", 0, -320, PANE_WIDTH, "highlight");
  backupNotice.SetHeight(40);
  return {
    backupsPane: pane, backupRows, backupBar, backupEmpty, backupDetail, restore, remove, pin, exportButton,
    importButton, create, backupNotice,
  };
}

function buildDialogs(s: State): Partial<Widgets> {
  const ui = s.ui;
  const createDialog = ui.window(CREATE_DIALOG_NAME, "Create Backup", 380, 170);
  createDialog.SetFrameStrata("DIALOG");
  label(s, createDialog, "Label:", 24, -40, 60);
  const createLabel = ui.input(createDialog, CREATE_DIALOG_NAME + "Label", 260, 60, () => confirmCreate(s));
  place(createLabel, createDialog, 90, -37);
  const createSize = label(s, createDialog, "", 24, -68, 332, "highlight");
  createSize.SetHeight(30);
  label(s, createDialog, "Manual backups are pinned: automatic pruning keeps them.", 24, -102, 332, "small");
  const ok = ui.button(createDialog, CREATE_DIALOG_NAME + "Confirm", "Create", 100, 22, () => confirmCreate(s));
  ok.SetPoint("BOTTOMRIGHT", createDialog, "BOTTOM", -6, 18);
  const cancel = ui.button(createDialog, CREATE_DIALOG_NAME + "Cancel", "Cancel", 100, 22, () => createDialog.Hide());
  cancel.SetPoint("BOTTOMLEFT", createDialog, "BOTTOM", 6, 18);

  const textDialog = ui.window(TEXT_DIALOG_NAME, "Backup Text", 540, 380);
  textDialog.SetFrameStrata("DIALOG");
  const textTitle = label(s, textDialog, "", 24, -34, 490);
  const textHint = label(s, textDialog, "", 24, -52, 490, "small");
  const area = ui.textArea(textDialog, TEXT_DIALOG_NAME + "Area", 492, 240);
  place(area.frame, textDialog, 24, -72);
  const textImport = ui.button(textDialog, TEXT_DIALOG_NAME + "Import", "Import", 110, 22, () => confirmImport(s));
  textImport.SetPoint("BOTTOMRIGHT", textDialog, "BOTTOM", -6, 20);
  const close = ui.button(textDialog, TEXT_DIALOG_NAME + "Close", "Close", 110, 22, () => textDialog.Hide());
  close.SetPoint("BOTTOMLEFT", textDialog, "BOTTOM", 6, 20);
  return { createDialog, createLabel, createSize, textDialog, textTitle, textHint, textBox: area.box, textImport };
}

function build(s: State): Widgets {
  const ui = s.ui;
  const mode = s.app.mode === "companion" ? " (companion mode)" : " (standalone)";
  const frame = ui.window(WINDOW_NAME, "OGRH Data Management" + mode, WIDTH, HEIGHT);
  const tabStructure = ui.button(frame, WINDOW_NAME + "TabStructure", "Validate & Repair", 150, 22, () => showTab(s, "STRUCTURE"));
  place(tabStructure, frame, 18, -30);
  const tabBackups = ui.button(frame, WINDOW_NAME + "TabBackups", "Backups", 150, 22, () => showTab(s, "BACKUPS"));
  place(tabBackups, frame, 172, -30);
  const parts: Partial<Widgets>[] = [buildStructurePane(s, frame), buildBackupsPane(s, frame), buildDialogs(s)];
  const w = { frame, tabStructure, tabBackups } as Partial<Widgets>;
  for (const part of parts) {
    for (const key in part) (w as { [k: string]: unknown })[key] = (part as { [k: string]: unknown })[key];
  }
  ui.onShow(frame, () => refresh(s));
  ui.onHide(frame, () => {
    (w as Widgets).createDialog.Hide();
    (w as Widgets).textDialog.Hide();
  });
  return w as Widgets;
}

// ----- drawing ----------------------------------------------------------------------------------

function notice(s: State, fs: WowFontString, text: string, ok: boolean | undefined): void {
  fs.SetText(text);
  color(fs, ok === undefined ? WHITE : ok ? GREEN : RED);
  s.lastNotice = text;
}

function drawTree(s: State): void {
  const w = s.w as Widgets;
  const rows = s.model !== undefined ? s.model.rows : [];
  const total = rows.length;
  const page = pageOf(total, TREE_ROWS, s.treeOffset);
  s.treeOffset = page.offset;
  for (let i = 0; i < TREE_ROWS; i++) {
    const rw = w.treeRows[i];
    if (i >= page.count) {
      rw.button.Hide();
      continue;
    }
    const index = page.offset + i;
    const row = rows[index];
    rw.button.Show();
    let indent = "";
    for (let d = 0; d < row.depth; d++) indent = indent + "    ";
    rw.name.SetText(indent + row.label);
    color(rw.name, row.status === "OK" ? WHITE : STATUS_COLORS[row.status]);
    rw.status.SetText(STATUS_NAMES[row.status]);
    color(rw.status, STATUS_COLORS[row.status]);
    rw.localSum.SetText(shortSum(row.localSum));
    rw.remoteSum.SetText(shortSum(row.remoteSum));
    color(rw.remoteSum, row.localSum === row.remoteSum || row.remoteSum === "?" ? GREY : STATUS_COLORS[row.status]);
    color(rw.localSum, GREY);
    rw.severity.SetText(row.severity === "None" ? "-" : row.severity);
    color(rw.severity, SEVERITY_COLORS[row.severity]);
    show(rw.selected, index === s.selectedRow);
  }
  w.treeBar.SetMinMaxValues(0, page.maxOffset);
  w.treeBar.SetValue(page.offset);
  show(w.treeBar, page.maxOffset > 0);
  if (s.model === undefined) {
    w.treeEmpty.SetText(s.validating ? "Asking the raid admin for checksums..." : "Click \"Validate Structure\" to compare your plan with the raid admin's.");
    w.treeEmpty.Show();
  } else w.treeEmpty.Hide();
}

function currentRequest(s: State): { request?: import("./tree").RepairRequest; error?: string } {
  const row = s.model !== undefined && s.selectedRow >= 0 ? s.model.rows[s.selectedRow] : undefined;
  return repairRequest(s.level, row);
}

function drawStructure(s: State): void {
  const w = s.w as Widgets;
  drawTree(s);
  for (let i = 0; i < REPAIR_LEVELS.length; i++) {
    const b = w.levels[i];
    if (REPAIR_LEVELS[i] === s.level) b.LockHighlight();
    else b.UnlockHighlight();
    const fs = b.GetFontString();
    if (fs !== undefined) color(fs, REPAIR_LEVELS[i] === s.level ? WHITE : GOLD);
  }
  const target = s.target;
  w.targetText.SetText(target !== undefined ? target.label : "No raid admin online");
  color(w.targetText, target !== undefined ? WHITE : GREY);
  const failed = s.model !== undefined && !s.model.valid;
  const req = currentRequest(s);
  enable(w.repair, failed && !s.repairing && !s.validating && target !== undefined && req.request !== undefined);
  enable(w.validate, !s.validating && !s.repairing);
  for (const b of w.levels) enable(b, failed && !s.repairing);
  const showProgress = s.repairing || s.progressTotal !== undefined;
  show(w.progressBack, showProgress);
  show(w.progressFill, showProgress);
  show(w.progressText, showProgress);
  if (showProgress) {
    const f = progressFraction(s.progressDone, s.progressTotal);
    w.progressFill.SetWidth(Math.max(1, Math.floor((PANE_WIDTH - 24) * f)));
    w.progressText.SetText(s.repairing ? formatProgress(s.progressDone, s.progressTotal) : formatSize(s.progressDone) + " received");
  }
  if (s.model !== undefined) {
    const source = s.validatedAgainst !== undefined ? " (compared with " + s.validatedAgainst + ")" : "";
    w.validateStatus.SetText(s.model.summary + source + (s.stale ? " - data changed since" : ""));
    color(w.validateStatus, s.model.valid ? GREEN : SEVERITY_COLORS[s.model.severity]);
  }
}

function drawBackups(s: State): void {
  const w = s.w as Widgets;
  const total = s.backups.length;
  const page = pageOf(total, BACKUP_ROWS, s.backupOffset);
  s.backupOffset = page.offset;
  const formatDate = s.app.platform.formatDate;
  for (let i = 0; i < BACKUP_ROWS; i++) {
    const rw = w.backupRows[i];
    if (i >= page.count) {
      rw.button.Hide();
      continue;
    }
    const index = page.offset + i;
    const b = s.backups[index];
    rw.button.Show();
    rw.date.SetText(formatTimestamp(b.timestamp, formatDate));
    rw.label.SetText((b.label === "" ? "-" : b.label) + (b.otherMode !== undefined ? " (" + b.otherMode + ")" : ""));
    rw.reason.SetText(b.reason);
    color(rw.reason, b.manual ? GOLD : WHITE);
    rw.size.SetText(formatSize(b.size));
    rw.pinned.SetText(b.pinned ? "Pinned" : "-");
    color(rw.pinned, b.pinned ? GREEN : GREY);
    show(rw.selected, index === s.selectedBackup);
  }
  w.backupBar.SetMinMaxValues(0, page.maxOffset);
  w.backupBar.SetValue(page.offset);
  show(w.backupBar, page.maxOffset > 0);
  w.backupEmpty.SetText(total === 0 ? "No backups yet. Click \"Create Backup\" to make one." : "");
  show(w.backupEmpty, total === 0);
  const sel = s.backups[s.selectedBackup];
  if (sel !== undefined) {
    w.backupDetail.SetText(
      "Selected: " + formatTimestamp(sel.timestamp, formatDate) + " - " + (sel.label === "" ? sel.reason : sel.label) +
        (sel.checksum !== undefined ? "   checksum " + sel.checksum : "") +
        (sel.otherMode !== undefined ? "   made in " + sel.otherMode + " mode: cannot be restored here" : ""),
    );
  } else w.backupDetail.SetText(total + (total === 1 ? " backup" : " backups") + ". Select one to restore, delete, pin or export it.");
  enable(w.restore, sel !== undefined);
  enable(w.remove, sel !== undefined);
  enable(w.pin, sel !== undefined);
  enable(w.exportButton, sel !== undefined);
  enable(w.importButton, true);
  enable(w.create, true);
  w.pin.SetText(sel !== undefined && sel.pinned ? "Unpin" : "Pin");
}

function showTab(s: State, tab: Tab): void {
  s.tab = tab;
  const w = s.w as Widgets;
  show(w.structurePane, tab === "STRUCTURE");
  show(w.backupsPane, tab === "BACKUPS");
  if (tab === "STRUCTURE") {
    w.tabStructure.LockHighlight();
    w.tabBackups.UnlockHighlight();
  } else {
    w.tabBackups.LockHighlight();
    w.tabStructure.UnlockHighlight();
  }
  refresh(s);
}

function refresh(s: State): void {
  if (s.w === undefined) return;
  if (s.tab === "STRUCTURE") {
    refreshTarget(s);
    drawStructure(s);
  } else {
    reloadBackups(s);
    drawBackups(s);
  }
}

// ----- validation and repair ---------------------------------------------------------------------

function refreshTarget(s: State): void {
  s.target = s.backend.targets()[0];
}

function selectTreeRow(s: State, index: number): void {
  if (s.model === undefined || index >= s.model.rows.length) return;
  s.selectedRow = index;
  drawStructure(s);
}

function startValidation(s: State): void {
  if (s.validating || s.repairing) return;
  s.validating = true;
  const w = s.w as Widgets;
  notice(s, w.structureNotice, "Validating...", undefined);
  w.validateStatus.SetText("Asking for checksums...");
  color(w.validateStatus, WHITE);
  drawStructure(s);
  s.backend.validate((outcome) => {
    s.validating = false;
    if (!outcome.ok || outcome.result === undefined || outcome.local === undefined) {
      notice(s, w.structureNotice, "Validation failed: " + (outcome.message ?? "no answer"), false);
      drawStructure(s);
      return;
    }
    showValidation(s, outcome.result, outcome.local, outcome.remote, outcome.source);
  });
}

function showValidation(s: State, result: ValidationResult, local: Hierarchy, remote: Hierarchy | undefined, source: string | undefined): void {
  const w = s.w as Widgets;
  const model = buildTree(result, local, remote, planOrder(s.app.store.tree()));
  s.model = model;
  s.stale = false;
  s.validatedAgainst = source;
  s.selectedRow = model.firstProblem;
  s.level = model.suggestedLevel;
  s.treeOffset = model.firstProblem >= 0 ? reveal(0, model.firstProblem, model.rows.length, TREE_ROWS) : 0;
  if (model.valid) notice(s, w.structureNotice, "Validation passed: your plan matches.", true);
  else notice(s, w.structureNotice, "Validation failed: " + model.summary + ". Select a row, a level and click Repair.", false);
  refreshTarget(s);
  drawStructure(s);
}

function startRepair(s: State): void {
  const w = s.w as Widgets;
  const req = currentRequest(s);
  const target = s.target;
  if (req.request === undefined) {
    notice(s, w.structureNotice, req.error ?? "Nothing to repair.", false);
    return;
  }
  if (target === undefined || s.repairing) return;
  const request = req.request;
  s.repairing = true;
  s.progressDone = 0;
  s.progressTotal = undefined;
  s.progressStarted = s.app.platform.now();
  notice(s, w.structureNotice, "Requesting repair of " + request.label + " from " + target.name + "...", undefined);
  drawStructure(s);
  s.backend.repair(
    request,
    target.name,
    (done, total) => {
      s.progressDone = done;
      s.progressTotal = total;
      if (s.w !== undefined && s.tab === "STRUCTURE") drawStructure(s);
    },
    (outcome) => {
      s.repairing = false;
      const took = formatDuration(s.app.platform.now() - s.progressStarted);
      const v = outcome.validation;
      if (v !== undefined && v.ok && v.result !== undefined && v.local !== undefined) {
        const model = buildTree(v.result, v.local, v.remote, planOrder(s.app.store.tree()));
        s.model = model;
        s.stale = false;
        s.selectedRow = model.firstProblem;
        s.treeOffset = model.firstProblem >= 0 ? reveal(0, model.firstProblem, model.rows.length, TREE_ROWS) : 0;
      }
      if (outcome.ok) {
        notice(s, w.structureNotice, "Repair completed successfully: " + request.label + " (" + took + "). " + outcome.message, true);
        s.app.say("Repair completed successfully (" + request.label + ")");
      } else {
        notice(s, w.structureNotice, "Repair failed: " + request.label + ": " + outcome.message, false);
        s.app.say("Repair failed (" + request.label + "): " + outcome.message);
      }
      drawStructure(s);
    },
  );
}

// ----- backups ---------------------------------------------------------------------------------

function reloadBackups(s: State): void {
  const selected = s.backups[s.selectedBackup];
  s.backups = s.backend.listBackups();
  s.selectedBackup = -1;
  if (selected !== undefined) {
    for (let i = 0; i < s.backups.length; i++) if (s.backups[i].id === selected.id) s.selectedBackup = i;
  }
}

function selectBackup(s: State, index: number): void {
  if (index >= s.backups.length) return;
  s.selectedBackup = index;
  drawBackups(s);
}

function afterBackupAction(s: State, text: string, ok: boolean): void {
  reloadBackups(s);
  const w = s.w as Widgets;
  drawBackups(s);
  notice(s, w.backupNotice, text, ok);
}

function askRestore(s: State): void {
  const b = s.backups[s.selectedBackup];
  if (b === undefined) return;
  s.pendingId = b.id;
  const when = formatTimestamp(b.timestamp, s.app.platform.formatDate);
  s.ui.confirm(
    "OGRH_DATA_RESTORE",
    "This will replace all current data. Continue?\n\nBackup: " + when + " - " + (b.label === "" ? b.reason : b.label) + "\nSafety backup will be created first.",
    "Restore",
    "Cancel",
    () => {
      notice(s, (s.w as Widgets).backupNotice, "Restoring: a safety backup is made first...", undefined);
      s.backend.restore(s.pendingId, (r) => afterBackupAction(s, r.message, r.ok));
    },
  );
}

function askDelete(s: State): void {
  const b = s.backups[s.selectedBackup];
  if (b === undefined) return;
  s.pendingId = b.id;
  const doDelete = () => {
    const r = s.backend.remove(s.pendingId);
    afterBackupAction(s, r.message, r.ok);
  };
  if (!b.manual) {
    doDelete();
    return;
  }
  const when = formatTimestamp(b.timestamp, s.app.platform.formatDate);
  s.ui.confirm("OGRH_DATA_DELETE", "Delete the manual backup \"" + b.label + "\" (" + when + ")?", "Delete", "Cancel", doDelete);
}

function togglePin(s: State): void {
  const b = s.backups[s.selectedBackup];
  if (b === undefined) return;
  const r = s.backend.setPinned(b.id, !b.pinned);
  afterBackupAction(s, r.message, r.ok);
}

function openExport(s: State): void {
  const b = s.backups[s.selectedBackup];
  if (b === undefined) return;
  const w = s.w as Widgets;
  notice(s, w.backupNotice, "Preparing the export text...", undefined);
  s.backend.exportText(b.id, (r) => {
    if (r.text === undefined) {
      notice(s, w.backupNotice, r.message, false);
      return;
    }
    w.textTitle.SetText("Export: " + (b.label === "" ? b.reason : b.label) + " (" + formatSize(r.text.length) + ")");
    w.textHint.SetText(r.message);
    w.textImport.Hide();
    w.textDialog.Show();
    w.textBox.SetText(r.text);
    w.textBox.SetFocus();
    w.textBox.HighlightText();
    notice(s, w.backupNotice, "Backup text ready to copy.", true);
  });
}

function openImport(s: State): void {
  const w = s.w as Widgets;
  w.textTitle.SetText("Import a backup");
  w.textHint.SetText("Paste backup text (Ctrl+V), then click Import. Your current data is not changed.");
  w.textImport.Show();
  w.textDialog.Show();
  w.textBox.SetText("");
  w.textBox.SetFocus();
}

function confirmImport(s: State): void {
  const w = s.w as Widgets;
  w.textHint.SetText("Importing...");
  s.backend.importText(w.textBox.GetText(), (r) => {
    if (r.ok) w.textDialog.Hide();
    else w.textHint.SetText(r.message);
    afterBackupAction(s, r.message, r.ok);
  });
}

function openCreate(s: State): void {
  const w = s.w as Widgets;
  const size = s.backend.planSize();
  w.createSize.SetText("Current data: about " + formatSize(size) + "\n(about " + formatDuration(transferSeconds(size)) + " to send it whole over the addon channel).");
  w.createLabel.SetText("");
  w.createDialog.Show();
  w.createLabel.SetFocus();
}

function confirmCreate(s: State): void {
  const w = s.w as Widgets;
  let text = w.createLabel.GetText();
  if (text === "") text = "Manual backup";
  w.createDialog.Hide();
  notice(s, w.backupNotice, "Creating backup...", undefined);
  s.backend.createBackup(text, (r) => {
    reloadBackups(s);
    if (r.ok) {
      s.selectedBackup = 0;
      s.backupOffset = 0;
    }
    drawBackups(s);
    notice(s, w.backupNotice, r.message + (r.size !== undefined ? " (" + formatSize(r.size) + ")" : ""), r.ok);
    s.app.say(r.message + (r.size !== undefined ? " (" + formatSize(r.size) + ")" : ""));
  });
}

// ----- install ---------------------------------------------------------------------------------

export function installDataManagement(app: App, ui: Toolkit, backend: Backend): DataManagementApi {
  const s: State = {
    app,
    ui,
    backend,
    w: undefined,
    tab: "STRUCTURE",
    model: undefined,
    validatedAgainst: undefined,
    treeOffset: 0,
    selectedRow: -1,
    level: "COMPONENT",
    target: undefined,
    validating: false,
    repairing: false,
    stale: false,
    progressDone: 0,
    progressTotal: undefined,
    progressStarted: 0,
    backups: [],
    backupOffset: 0,
    selectedBackup: -1,
    pendingId: undefined,
    lastNotice: "",
  };
  const ensure = (): Widgets => {
    if (s.w === undefined) {
      s.w = build(s);
      showTab(s, "STRUCTURE");
    }
    return s.w;
  };
  const visible = () => s.w !== undefined && s.w.frame.IsShown() === 1;
  const api: DataManagementApi = {
    Open: () => ensure().frame.Show(),
    Close: () => {
      if (s.w !== undefined) s.w.frame.Hide();
    },
    Toggle: () => {
      if (visible()) api.Close();
      else api.Open();
    },
    IsShown: visible,
    ShowTab: (tab) => {
      ensure();
      showTab(s, tab === "BACKUPS" || tab === "backups" ? "BACKUPS" : "STRUCTURE");
    },
    Refresh: () => refresh(s),
    ShowValidation: (result, local, remote, source) => {
      ensure();
      showValidation(s, result, local, remote, source);
    },
    GetTreeModel: () => s.model,
    ProgressFraction: () => {
      if (s.w === undefined || s.w.progressFill.IsShown() !== 1) return 0;
      const full = PANE_WIDTH - 24;
      const wdt = s.w.progressFill.GetWidth();
      return wdt <= 1 ? 0 : Math.floor((wdt / full) * 1000 + 0.5) / 1000;
    },
    Util: {
      FormatStamp: formatStamp,
      FormatSize: formatSize,
      FormatDuration: formatDuration,
      FormatProgress: formatProgress,
      TransferSeconds: transferSeconds,
      BuildTree: buildTree,
      RepairRequest: repairRequest,
      PageOf: pageOf,
      Wheel: wheel,
      Reveal: reveal,
    },
  };
  // The one refresh hook: a plan change marks the validation stale and redraws what is shown.
  app.store.on((change) => {
    if (s.model !== undefined && change.changes.length > 0) s.stale = true;
    if (visible()) refresh(s);
  });
  backend.onListChanged(() => {
    if (visible() && s.tab === "BACKUPS") refresh(s);
  });
  app.addCommand("data", "data [backups]", "open the Data Management window (validate, repair, backups)", (rest) => {
    api.Open();
    if (rest === "backups") api.ShowTab("BACKUPS");
  });
  app.api.DataManagement = api;
  return api;
}
