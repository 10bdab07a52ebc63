// A Platform in Node for fast tests of core modules: a manual clock, timers, a chat log, globals.
import type { EventHandler, Platform, RosterMember } from "../../src/core/platform";

export interface FakePlatform extends Platform {
  chat: string[];
  sent: { prefix: string; text: string; distribution: string }[];
  globals: Record<string, unknown>;
  members: RosterMember[];
  /** Moves the clock and runs due timers in order. */
  advance: (seconds: number) => void;
  fire: (eventName: string, a1?: unknown, a2?: unknown, a3?: unknown, a4?: unknown) => void;
  slash: (line: string) => void;
}

export function createFakePlatform(name = "Tankmedady"): FakePlatform {
  let clock = 1000;
  let nextId = 1;
  let timers: { id: number; due: number; fn: () => void }[] = [];
  const handlers: Record<string, EventHandler[]> = {};
  const slashes: { commands: string[]; handler: (msg: string) => void }[] = [];
  const p: FakePlatform = {
    chat: [],
    sent: [],
    globals: {},
    members: [],
    now: () => clock,
    epoch: () => 1769100000 + Math.floor(clock - 1000),
    formatDate: (_format, t) => new Date(t * 1000).toISOString(),
    after: (delay, fn) => {
      const id = nextId++;
      timers.push({ id, due: clock + delay, fn });
      return id;
    },
    cancel: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
    on: (eventName, handler) => {
      (handlers[eventName] ??= []).push(handler);
    },
    sendAddonMessage: (prefix, text, distribution) => {
      p.sent.push({ prefix, text, distribution });
    },
    throttleLib: () => undefined,
    framerate: () => 60,
    print: (message) => {
      p.chat.push(message);
    },
    playerName: () => name,
    roster: () => p.members,
    getGlobal: (n) => p.globals[n],
    setGlobal: (n, v) => {
      p.globals[n] = v;
    },
    addonLoaded: () => false,
    random: () => Math.random(),
    registerSlash: (_key, commands, handler) => {
      slashes.push({ commands, handler });
    },
    advance: (seconds) => {
      const stop = clock + seconds;
      for (;;) {
        const due = timers.filter((t) => t.due <= stop).sort((a, b) => a.due - b.due || a.id - b.id)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        clock = Math.max(clock, due.due);
        due.fn();
      }
      clock = stop;
    },
    fire: (eventName, a1, a2, a3, a4) => {
      for (const h of handlers[eventName] ?? []) h(a1, a2, a3, a4);
    },
    slash: (line) => {
      const [cmd, ...rest] = line.trim().split(/\s+/);
      const entry = slashes.find((s) => s.commands.includes(cmd.toLowerCase()));
      if (!entry) throw new Error("unknown slash command " + cmd);
      entry.handler(rest.join(" "));
    },
  };
  return p;
}
