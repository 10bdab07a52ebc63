// Helpers for transport tests in the emulated raid: payloads are generated and compared inside
// Lua (test/transport/gen.lua); jest sees counts and lengths.
import * as fs from "fs";
import * as path from "path";
import { Raid, RaidOptions } from "../harness/raid";

export const GEN_LUA = fs.readFileSync(path.join(__dirname, "gen.lua"), "utf8");

export interface CheckResult {
  receivers: number;
  missing: number;
  corrupt: number;
  duplicate: number;
  outOfOrder: number;
  delivered: number;
}

export class TransportRaid {
  constructor(readonly raid: Raid) {
    raid.vm.exec(GEN_LUA, "@gen.lua");
  }

  static start(options: RaidOptions = {}): TransportRaid {
    return new TransportRaid(Raid.start(options));
  }

  ref(name: string): string {
    return 'W.clients["' + name + '"]';
  }

  /** Every online client records deliveries of `type`. */
  recordAll(type: string): void {
    for (const c of this.raid.clients) this.raid.vm.exec("TGen.record(" + this.ref(c.name) + ", '" + type + "')");
  }

  /** Sends a generated payload (Lua expression, e.g. "TGen.bytes(1000, 3)") from a player. */
  send(from: string, type: string, payloadExpr: string, optsLua = "nil"): boolean {
    return this.raid.vm.eval<boolean>("TGen.send(" + this.ref(from) + ", '" + type + "', " + payloadExpr + ", " + optsLua + ")");
  }

  check(type: string, names?: string[]): CheckResult {
    const list = names === undefined ? "nil" : "{" + names.map((n) => '"' + n + '"').join(",") + "}";
    return this.raid.vm.eval<CheckResult>("TGen.check('" + type + "', " + list + ")");
  }

  stats(name: string): Record<string, unknown> & { dropped: Record<string, number> } {
    return this.raid.player(name).eval("OGRH.Transport.stats()");
  }

  /** Budget violations of every client. */
  violations(): string[] {
    const out: string[] = [];
    for (const c of this.raid.clients) for (const v of c.budgetViolations()) out.push(c.name + " at " + v.t + ": " + v.deficit);
    return out;
  }

  close(): void {
    this.raid.close();
  }
}
