// The only module that touches the 1.12 client's globals (besides transport's throttle probe,
// which asks this module too). Everything here is thin: no logic beyond translating calls.
import { Distribution, EventHandler, Platform, RosterMember, ThrottleLib } from "../core/platform";

interface Timer {
  id: number;
  due: number;
  fn: () => void;
}

export function createWowPlatform(): Platform {
  const frame = CreateFrame("Frame");
  const handlers: { [eventName: string]: EventHandler[] } = {};
  let timers: Timer[] = [];
  let nextTimerId = 1;

  frame.SetScript("OnEvent", () => {
    const name = event;
    if (name === undefined) return;
    const list = handlers[name];
    if (list === undefined) return;
    const a1 = arg1;
    const a2 = arg2;
    const a3 = arg3;
    const a4 = arg4;
    for (const handler of list) {
      handler(a1, a2, a3, a4);
    }
  });

  // Timers run from one OnUpdate; the list stays short (a few dozen at most), so a scan is cheaper
  // than a heap in Lua 5.0.
  frame.SetScript("OnUpdate", () => {
    if (timers.length === 0) return;
    const now = GetTime();
    const due: Timer[] = [];
    const pending: Timer[] = [];
    for (const timer of timers) {
      if (timer.due <= now) due.push(timer);
      else pending.push(timer);
    }
    if (due.length === 0) return;
    timers = pending;
    due.sort((a, b) => (a.due === b.due ? a.id - b.id : a.due - b.due));
    for (const timer of due) {
      timer.fn();
    }
  });

  const globals = getfenv(0) as unknown as { [name: string]: unknown };
  let ctlSeen: ChatThrottleLibV13 | undefined = undefined;
  let ctlWrapper: ThrottleLib | undefined = undefined;
  let rngState = 0;

  return {
    now: () => GetTime(),
    epoch: () => time(),
    formatDate: (format, t) => date(format, t),
    after: (delay, fn) => {
      const id = nextTimerId;
      nextTimerId = nextTimerId + 1;
      timers.push({ id, due: GetTime() + delay, fn });
      return id;
    },
    cancel: (timerId) => {
      timers = timers.filter((timer) => timer.id !== timerId);
    },
    on: (eventName, handler) => {
      let list = handlers[eventName];
      if (list === undefined) {
        list = [];
        handlers[eventName] = list;
        frame.RegisterEvent(eventName);
      }
      list.push(handler);
    },
    sendAddonMessage: (prefix: string, text: string, distribution: Distribution) => {
      SendAddonMessage(prefix, text, distribution);
    },
    throttleLib: () => {
      const ctl = globals["ChatThrottleLib"] as ChatThrottleLibV13 | undefined;
      if (ctl === undefined || type(ctl) !== "table" || type(ctl.SendAddonMessage) !== "function") return undefined;
      if (ctl !== ctlSeen) {
        ctlSeen = ctl;
        ctlWrapper = {
          version: ctl.version,
          sendAddonMessage: (prio, prefix, text, distribution) => ctl.SendAddonMessage(prio, prefix, text, distribution),
          // A library that queues sends nothing at once: report no room so we wait our turn.
          budget: () => {
            if (ctl.bQueueing === true) return 0;
            return ctl.UpdateAvail !== undefined ? ctl.UpdateAvail() : undefined;
          },
        };
      }
      return ctlWrapper;
    },
    framerate: () => GetFramerate(),
    print: (message) => DEFAULT_CHAT_FRAME.AddMessage(message, 1, 0.82, 0),
    playerName: () => UnitName("player") ?? "",
    roster: () => {
      const members: RosterMember[] = [];
      const count = GetNumRaidMembers();
      for (let i = 1; i <= count; i++) {
        const [name, rank, subgroup, , , , , online] = GetRaidRosterInfo(i);
        if (name !== undefined) members.push({ name, rank, subgroup, online: online === 1 });
      }
      return members;
    },
    getGlobal: (name) => globals[name],
    setGlobal: (name, value) => {
      globals[name] = value;
    },
    random: () => {
      // Park-Miller minimal standard generator, exact in doubles; seeded on first use.
      if (rngState === 0) {
        let seed = Math.floor(GetTime() * 1000) % 2147483646;
        const name = UnitName("player") ?? "";
        for (let i = 0; i < name.length; i++) seed = (seed * 31 + name.charCodeAt(i)) % 2147483646;
        rngState = seed + 1;
      }
      rngState = (rngState * 16807) % 2147483647;
      return (rngState - 1) / 2147483646;
    },
    // Stock 1.12 has IsAddOnLoaded; an emulated or odd client without it counts as "not loaded".
    addonLoaded: (name) => globals["IsAddOnLoaded"] !== undefined && IsAddOnLoaded(name) !== undefined,
    registerSlash: (key, commands, handler) => {
      for (let i = 0; i < commands.length; i++) {
        globals["SLASH_" + key + (i + 1)] = commands[i];
      }
      SlashCmdList[key] = (msg: string) => handler(msg);
    },
  };
}
