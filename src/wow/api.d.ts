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

interface WowFontString extends WowRegion {
  SetText(this: WowFontString, text: string | undefined): void;
  GetText(this: WowFontString): string | undefined;
  SetTextColor(this: WowFontString, r: number, g: number, b: number, a?: number): void;
  SetJustifyH(this: WowFontString, justify: "LEFT" | "CENTER" | "RIGHT"): void;
  SetJustifyV(this: WowFontString, justify: "TOP" | "MIDDLE" | "BOTTOM"): void;
  SetFontObject(this: WowFontString, font: unknown): void;
}

interface WowTexture extends WowRegion {
  SetTexture(this: WowTexture, pathOrR: string | number, g?: number, b?: number, a?: number): void;
  SetVertexColor(this: WowTexture, r: number, g: number, b: number, a?: number): void;
  SetTexCoord(this: WowTexture, left: number, right: number, top: number, bottom: number): void;
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
}

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
declare function StaticPopup_Show(name: string, text1?: string, text2?: string, data?: unknown): WowFrame | undefined;

/** The ChatThrottleLib v13 API, present when another addon loaded it. */
interface ChatThrottleLibV13 {
  version: number;
  SendAddonMessage(this: ChatThrottleLibV13, prio: "ALERT" | "NORMAL" | "BULK", prefix: string, text: string, chattype: AddonDistribution): void;
}
