// The widgets the Data Management window is built from. src/wow/ui.ts implements them over the
// 1.12 frame API (the only UI code that touches client globals: CreateFrame, UISpecialFrames,
// StaticPopupDialogs, the font objects); the window logic in src/ui/ receives a Toolkit, and
// script handlers arrive here as plain callbacks with their 1.12 globals (this, arg1) already read.

export type FontKind = "normal" | "highlight" | "small" | "smallHighlight" | "large" | "disable";

/** @noSelf */
export interface Toolkit {
  /**
   * A movable top-level window in the Blizzard dialog style (backdrop, title header, close
   * button), hidden at first, closed by Escape. `name` is its global frame name.
   */
  window: (name: string, title: string, width: number, height: number) => WowFrame;
  /** A bordered inset box (tooltip backdrop) to group a section. */
  panel: (parent: WowFrame, name?: string) => WowFrame;
  text: (parent: WowFrame, font: FontKind, justify?: "LEFT" | "CENTER" | "RIGHT") => WowFontString;
  /** A red Blizzard panel button; onClick runs on a left click while enabled. */
  button: (parent: WowFrame, name: string, label: string, width: number, height: number, onClick: () => void) => WowButton;
  /** A flat clickable row (highlight on hover) used by pooled lists. */
  rowButton: (parent: WowFrame, name: string, height: number, onClick: () => void) => WowButton;
  /** A solid colour texture. */
  fill: (parent: WowFrame, layer: string, r: number, g: number, b: number, a: number) => WowTexture;
  /** A single-line input box (InputBoxTemplate). */
  input: (parent: WowFrame, name: string, width: number, maxLetters: number, onEnter: () => void) => WowEditBox;
  /** A multi-line text box inside a scrolling frame; returns the container and the box. */
  textArea: (parent: WowFrame, name: string, width: number, height: number) => { frame: WowFrame; box: WowEditBox; scroll: WowScrollFrame };
  /** A vertical scroll bar for pooled lists: onChange(value) on every move. */
  scrollBar: (parent: WowFrame, name: string, onChange: (value: number) => void) => WowSlider;
  /** Calls fn(delta) on the mouse wheel over frame (1 up, -1 down). */
  onWheel: (frame: WowFrame, fn: (delta: number) => void) => void;
  onShow: (frame: WowFrame, fn: () => void) => void;
  onHide: (frame: WowFrame, fn: () => void) => void;
  /** Calls fn(elapsed) every frame while `frame` is visible; undefined stops it. */
  onUpdate: (frame: WowFrame, fn: ((elapsed: number) => void) | undefined) => void;
  /** A yes/no confirmation (StaticPopup); onAccept runs on the first button. */
  confirm: (key: string, text: string, accept: string, cancel: string, onAccept: () => void) => void;
  /** Hides a confirmation if shown. */
  hideConfirm: (key: string) => void;
}
