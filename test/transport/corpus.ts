// Test and benchmark payloads, deterministic for a seed. Strings hold one byte per char (latin1),
// the way the Lua side sees them. The same generators exist in Lua (test/transport/corpus.lua)
// so byte-exact data never has to cross the JS <-> WASM boundary.
export function rng(seed: number): () => number {
  let state = (Math.abs(Math.floor(seed)) % 2147483646) + 1;
  return () => {
    state = (state * 16807) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

export function randomBytes(n: number, seed = 1): string {
  const r = rng(seed);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(String.fromCharCode(Math.floor(r() * 256)));
  return parts.join("");
}

const NAMES = ["Tankmedady", "Gnuzench", "Sunderwhere", "Aelindra", "Brakkus", "Celestia", "Dornak", "Elowen", "Fizzlebang", "Grimtooth"];
const BOSSES = ["Razorgore", "Vaelastrasz", "Broodlord", "Firemaw", "Ebonroc", "Flamegor", "Chromaggus", "Nefarian"];
const ROLES = ["MT", "OT1", "OT2", "Heal", "Kick", "Decurse", "Dispel", "Fear Ward"];

/** Text shaped like a serialised raid plan (the sync layer's typical payload). */
export function raidPlanText(n: number, seed = 1): string {
  const r = rng(seed);
  const pick = <T>(list: T[]) => list[Math.floor(r() * list.length)];
  const parts: string[] = [];
  let len = 0;
  let k = 0;
  while (len < n) {
    const line =
      "{enc=\"" + pick(BOSSES) + "\",role=\"" + pick(ROLES) + "\",slot=" + (k % 8) + ",player=\"" + pick(NAMES) +
      "\",mark=" + Math.floor(r() * 9) + ",note=\"" + pick(["", "stack left", "tank swap at 3", "kite adds"]) + "\"},";
    parts.push(line);
    len += line.length;
    k++;
  }
  return parts.join("").substring(0, n);
}
