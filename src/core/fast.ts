// Library functions for hot loops, taken once at load (LibDeflate's habit): inside Lua they are the
// C functions themselves, so a loop makes one call and no global lookup per step; in Node a small
// equivalent. Byte access is transport/bytes' byteAt.
/** @noSelf */
interface LuaMathLib {
  mod: (a: number, b: number) => number;
}

const LM = (globalThis as unknown as { math?: LuaMathLib }).math;

/** a mod b for a >= 0 and b > 0 (Lua 5.0's math.mod, the C fmod: exact on integers below 2^53). */
export const fmod: (a: number, b: number) => number = LM !== undefined && LM.mod !== undefined ? LM.mod : (a: number, b: number) => a % b;
