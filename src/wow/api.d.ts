// Declarations for exactly the part of the WoW 1.12 client API this addon uses, with 1.12
// semantics. Only src/wow/ may reference these globals; core modules get a Platform instead.
//
// 1.12 facts that shape these types:
// - script handlers take no parameters: the client sets the globals `this`, `event` and
//   `arg1`..`arg9` before calling them (OnUpdate: arg1 = elapsed seconds; CHAT_MSG_ADDON:
//   arg1 prefix, arg2 text, arg3 distribution, arg4 sender);
// - flags come back as 1 or nil, never booleans;
// - SendAddonMessage has no WHISPER distribution (added in 2.1).

/** A 1.12 flag: 1 for true, nil for false. */
type WowFlag = 1 | undefined;

type AddonDistribution = "PARTY" | "RAID" | "GUILD" | "BATTLEGROUND";

type ScriptHandler = (this: void) => void;

interface WowRegion {
  GetName(this: WowRegion): string | undefined;
  GetParent(this: WowRegion): WowFrame | undefined;
  Show(this: WowRegion): void;
  Hide(this: WowRegion): void;
  IsShown(this: WowRegion): WowFlag;
  IsVisible(this: WowRegion): WowFlag;
  SetWidth(this: WowRegion, width: number): void;
  SetHeight(this: WowRegion, height: number): void;
  GetWidth(this: WowRegion): number;
  GetHeight(this: WowRegion): number;
  SetPoint(this: WowRegion, point: string, relativeTo?: WowRegion | string, relativePoint?: string, x?: number, y?: number): void;
  SetAllPoints(this: WowRegion, relativeTo?: WowRegion): void;
  ClearAllPoints(this: WowRegion): void;
  SetAlpha(this: WowRegion, alpha: number): void;
}

/** A font object such as GameFontNormal (FontStrings and edit boxes take it). */
interface WowFontObject {
  readonly __fontObject?: never;
}

interface WowFontString extends WowRegion {
  SetText(this: WowFontString, text: string | undefined): void;
  GetText(this: WowFontString): string | undefined;
  SetTextColor(this: WowFontString, r: number, g: number, b: number, a?: number): void;
  SetJustifyH(this: WowFontString, justify: "LEFT" | "CENTER" | "RIGHT"): void;
  SetJustifyV(this: WowFontString, justify: "TOP" | "MIDDLE" | "BOTTOM"): void;
  SetFontObject(this: WowFontString, font: unknown): void;
  SetNonSpaceWrap(this: WowFontString, wrap: boolean | WowFlag): void;
}

interface WowTexture extends WowRegion {
  SetTexture(this: WowTexture, pathOrR: string | number, g?: number, b?: number, a?: number): void;
  SetVertexColor(this: WowTexture, r: number, g: number, b: number, a?: number): void;
  SetTexCoord(this: WowTexture, left: number, right: number, top: number, bottom: number): void;
  SetBlendMode(this: WowTexture, mode: "DISABLE" | "BLEND" | "ALPHAKEY" | "ADD" | "MOD"): void;
}

interface WowFrame extends WowRegion {
  SetScript(this: WowFrame, script: string, handler: ScriptHandler | undefined): void;
  GetScript(this: WowFrame, script: string): ScriptHandler | undefined;
  RegisterEvent(this: WowFrame, eventName: string): void;
  UnregisterEvent(this: WowFrame, eventName: string): void;
  UnregisterAllEvents(this: WowFrame): void;
  SetParent(this: WowFrame, parent: WowFrame | undefined): void;
  SetFrameStrata(this: WowFrame, strata: string): void;
  EnableMouse(this: WowFrame, enable: boolean | WowFlag): void;
  SetMovable(this: WowFrame, movable: boolean | WowFlag): void;
  RegisterForDrag(this: WowFrame, button: string): void;
  StartMoving(this: WowFrame): void;
  StopMovingOrSizing(this: WowFrame): void;
  SetBackdrop(this: WowFrame, backdrop: unknown): void;
  SetBackdropColor(this: WowFrame, r: number, g: number, b: number, a?: number): void;
  SetBackdropBorderColor(this: WowFrame, r: number, g: number, b: number, a?: number): void;
  CreateFontString(this: WowFrame, name?: string, layer?: string, template?: string): WowFontString;
  CreateTexture(this: WowFrame, name?: string, layer?: string): WowTexture;
  SetFrameLevel(this: WowFrame, level: number): void;
  GetFrameLevel(this: WowFrame): number;
  SetToplevel(this: WowFrame, toplevel: boolean | WowFlag): void;
  SetClampedToScreen(this: WowFrame, clamped: boolean | WowFlag): void;
  EnableMouseWheel(this: WowFrame, enable: boolean | WowFlag): void;
  EnableKeyboard(this: WowFrame, enable: boolean | WowFlag): void;
}

interface WowButton extends WowFrame {
  SetText(this: WowButton, text: string | undefined): void;
  GetText(this: WowButton): string | undefined;
  GetFontString(this: WowButton): WowFontString | undefined;
  SetFontString(this: WowButton, fs: WowFontString): void;
  SetTextColor(this: WowButton, r: number, g: number, b: number): void;
  Enable(this: WowButton): void;
  Disable(this: WowButton): void;
  IsEnabled(this: WowButton): WowFlag;
  SetNormalTexture(this: WowButton, file: string): void;
  SetPushedTexture(this: WowButton, file: string): void;
  SetHighlightTexture(this: WowButton, file: string): void;
  SetDisabledTexture(this: WowButton, file: string): void;
  RegisterForClicks(this: WowButton, ...buttons: string[]): void;
  LockHighlight(this: WowButton): void;
  UnlockHighlight(this: WowButton): void;
  Click(this: WowButton): void;
}

interface WowEditBox extends WowFrame {
  SetText(this: WowEditBox, text: string): void;
  GetText(this: WowEditBox): string;
  SetMaxLetters(this: WowEditBox, n: number): void;
  SetMultiLine(this: WowEditBox, multi: boolean | WowFlag): void;
  SetAutoFocus(this: WowEditBox, auto: boolean | WowFlag): void;
  SetFocus(this: WowEditBox): void;
  ClearFocus(this: WowEditBox): void;
  HighlightText(this: WowEditBox, start?: number, stop?: number): void;
  SetFontObject(this: WowEditBox, font: unknown): void;
  SetTextInsets(this: WowEditBox, left: number, right: number, top: number, bottom: number): void;
}

interface WowScrollFrame extends WowFrame {
  SetScrollChild(this: WowScrollFrame, child: WowFrame): void;
  SetVerticalScroll(this: WowScrollFrame, offset: number): void;
  GetVerticalScroll(this: WowScrollFrame): number;
  GetVerticalScrollRange(this: WowScrollFrame): number;
  UpdateScrollChildRect(this: WowScrollFrame): void;
}

interface WowSlider extends WowFrame {
  SetMinMaxValues(this: WowSlider, min: number, max: number): void;
  GetMinMaxValues(this: WowSlider): LuaMultiReturn<[number, number]>;
  SetValue(this: WowSlider, value: number): void;
  GetValue(this: WowSlider): number;
  SetValueStep(this: WowSlider, step: number): void;
  SetOrientation(this: WowSlider, orientation: "HORIZONTAL" | "VERTICAL"): void;
  SetThumbTexture(this: WowSlider, file: string): void;
}

/** Frame names closed by the Escape key (CloseSpecialWindows). */
declare const UISpecialFrames: string[];
declare const GameFontNormal: WowFontObject;
declare const GameFontNormalSmall: WowFontObject;
declare const GameFontNormalLarge: WowFontObject;
declare const GameFontHighlight: WowFontObject;
declare const GameFontHighlightSmall: WowFontObject;
declare const GameFontDisable: WowFontObject;

declare const UIParent: WowFrame;
declare function CreateFrame(frameType: string, name?: string, parent?: WowFrame, template?: string): WowFrame;

interface WowChatFrame {
  AddMessage(this: WowChatFrame, text: string, r?: number, g?: number, b?: number): void;
}
declare const DEFAULT_CHAT_FRAME: WowChatFrame;

/** Handler globals set by the client before a script runs. */
declare let event: string | undefined;
declare let arg1: unknown;
declare let arg2: unknown;
declare let arg3: unknown;
declare let arg4: unknown;
declare let arg5: unknown;
declare let arg6: unknown;
declare let arg7: unknown;
declare let arg8: unknown;
declare let arg9: unknown;

/** Seconds since the client started, with millisecond precision. */
declare function GetTime(): number;
/** Seconds since the epoch (Lua's os.time, exposed by the client as `time`). */
declare function time(this: void, t?: unknown): number;
/** Lua's os.date, exposed by the client as `date`. */
declare function date(this: void, format?: string, t?: number): string;

/** prefix + text at most 254 bytes; no tab in prefix; "\0" truncates. */
/** 1 when the named addon's files have been loaded, else nil. */
declare function IsAddOnLoaded(this: void, name: string): 1 | undefined;
declare function SendAddonMessage(prefix: string, text: string, distribution: AddonDistribution): void;

/** Frames per second. */
declare function GetFramerate(): number;

declare function GetNumRaidMembers(): number;
declare function GetNumPartyMembers(): number;
/** name, rank (2 leader, 1 assistant, 0 member), subgroup, level, class, fileName, zone, online, isDead */
declare function GetRaidRosterInfo(index: number): LuaMultiReturn<[string | undefined, number, number, number, string, string, string, WowFlag, WowFlag]>;
declare function UnitName(unit: string): string | undefined;
declare function IsRaidLeader(): WowFlag;
declare function IsRaidOfficer(): WowFlag;

declare const SlashCmdList: { [key: string]: (this: void, msg: string) => void };

interface StaticPopupInfo {
  text: string;
  button1?: string;
  button2?: string;
  hasEditBox?: WowFlag;
  timeout?: number;
  whileDead?: WowFlag;
  hideOnEscape?: WowFlag;
  OnAccept?: (this: void, data?: unknown) => void;
  OnCancel?: (this: void, data?: unknown) => void;
}
declare const StaticPopupDialogs: { [name: string]: StaticPopupInfo };
declare function StaticPopup_Hide(name: string): void;
declare function StaticPopup_Show(name: string, text1?: string, text2?: string, data?: unknown): WowFrame | undefined;

/** The ChatThrottleLib v13 API, present when another addon loaded it. */
interface ChatThrottleLibV13 {
  version: number;
  SendAddonMessage(this: ChatThrottleLibV13, prio: "ALERT" | "NORMAL" | "BULK", prefix: string, text: string, chattype: AddonDistribution): void;
  /** Refills and returns the shared budget (v13 and the Turtle v14). */
  UpdateAvail?(this: ChatThrottleLibV13): number;
  /** True while the library holds queued messages (its own or another addon's). */
  bQueueing?: boolean;
}
