// The services the core needs from the client. src/wow/adapter.ts implements it over the 1.12
// globals; tests implement it in Node. Core modules receive a Platform and never touch globals.

export type Distribution = "PARTY" | "RAID" | "GUILD" | "BATTLEGROUND";

export interface RosterMember {
  name: string;
  /** 2 raid leader, 1 assistant, 0 member (GetRaidRosterInfo's rank). */
  rank: number;
  subgroup: number;
  online: boolean;
}

/** ChatThrottleLib's priorities: ALERT before NORMAL before BULK. */
export type ThrottlePriority = "ALERT" | "NORMAL" | "BULK";

/** A global ChatThrottleLib (the v13 API), as the adapter exposes it. */
/** @noSelf */
export interface ThrottleLib {
  version: number;
  sendAddonMessage: (prio: ThrottlePriority, prefix: string, text: string, distribution: Distribution) => void;
  /**
   * The library's shared budget now (UpdateAvail), 0 while it holds a queue, undefined when it
   * cannot tell (an old copy without UpdateAvail).
   */
  budget: () => number | undefined;
}

export type EventHandler = (a1: unknown, a2: unknown, a3: unknown, a4: unknown) => void;

/** @noSelf */
export interface Platform {
  /** Seconds since the client started (GetTime). */
  now: () => number;
  /** Seconds since the epoch (time()). */
  epoch: () => number;
  /** date(format, t). */
  formatDate: (format: string, t: number) => string;
  /** Runs fn once after `delay` seconds of game time; returns an id for cancel. */
  after: (delay: number, fn: () => void) => number;
  cancel: (timerId: number) => void;
  /** Subscribes to a client event; handlers get arg1..arg4. */
  on: (eventName: string, handler: EventHandler) => void;
  /** The raw channel. Only the transport module may call it. */
  sendAddonMessage: (prefix: string, text: string, distribution: Distribution) => void;
  /** The global ChatThrottleLib when another addon loaded one (looked up on every call). */
  throttleLib: () => ThrottleLib | undefined;
  /** Frames per second (GetFramerate); the throttle model halves its rate below 20. */
  framerate: () => number;
  /** Writes a line to the default chat frame. */
  print: (message: string) => void;
  playerName: () => string;
  /** The raid (or party) roster; empty when solo. */
  roster: () => RosterMember[];
  /** Saved variables and the addon's public global live in the client's global table. */
  getGlobal: (name: string) => unknown;
  setGlobal: (name: string, value: unknown) => void;
  /**
   * A random number in [0, 1) from our own generator: math.random is one stream shared by every
   * addon in the client, and drawing from it would change what OG-RaidHelper draws.
   */
  random: () => number;
  /** IsAddOnLoaded(name): another addon's files have run. */
  addonLoaded: (name: string) => boolean;
  /** Registers /command aliases for one handler. */
  registerSlash: (key: string, commands: string[], handler: (msg: string) => void) => void;
}
