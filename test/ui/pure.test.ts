// The window's pure helpers, run the same in Node (the TypeScript) and in Lua 5.0 (the built
// bundle through OGRH.DataManagement.Util), results compared.
import { formatDuration, formatProgress, formatSize, formatStamp, transferSeconds } from "../../src/core/format";
import { pageOf, reveal, wheel } from "../../src/ui/paging";
import { buildTree, repairRequest } from "../../src/ui/tree";
import { repairTargets } from "../../src/ui/targets";
import { toLuaLiteral } from "../harness/lua-vm";
import { Raid } from "../harness/raid";

let raid: Raid;
beforeAll(() => {
  raid = Raid.start({ size: 1 });
});
afterAll(() => raid.close());

/** Calls OGRH.DataManagement.Util[fn](...args) in the emulated client. */
function lua<T>(fn: string, ...args: unknown[]): T {
  return raid.leader.eval<T>("OGRH.DataManagement.Util." + fn + "(" + args.map(toLuaLiteral).join(", ") + ")");
}

const stamps = ["2026-01-22 15:45", "2026-01-22 00:05", "2026-12-01 12:00", "1999-07-04 11:59", "not a date", "2026-13-01 10:00"];
test.each(stamps)("formatStamp(%s) is the same in Node and Lua", (stamp) => {
  expect(lua("FormatStamp", stamp)).toBe(formatStamp(stamp));
});

test("dates read like the spec: Jan 22, 2026 3:45 PM", () => {
  expect(formatStamp("2026-01-22 15:45")).toBe("Jan 22, 2026 3:45 PM");
  expect(formatStamp("2026-01-22 00:05")).toBe("Jan 22, 2026 12:05 AM");
  expect(formatStamp("2026-12-01 12:00")).toBe("Dec 1, 2026 12:00 PM");
  expect(formatStamp("not a date")).toBe("not a date");
});

const sizes = [0, 1, 512, 1023, 1024, 4300, 10239, 250880, 1048000, 3400000, 52428800];
test.each(sizes)("formatSize(%d) is the same in Node and Lua", (n) => {
  expect(lua("FormatSize", n)).toBe(formatSize(n));
});

test("sizes read like the spec: 245 KB", () => {
  expect([512, 4300, 250880, 3400000].map(formatSize)).toEqual(["512 B", "4.2 KB", "245 KB", "3.2 MB"]);
});

test("transfer estimates follow the throttle model (~650 B/s of payload)", () => {
  expect(transferSeconds(650)).toBe(1);
  expect(transferSeconds(7550)).toBe(12);
  expect(formatDuration(77)).toBe("1 min 17 s");
  expect(formatProgress(1300, 6500)).toBe("1.3 KB of ~6.3 KB, about 8 s left");
  for (const [done, total] of [[0, 100], [300, 6500], [6500, 6500], [9000, 6500]]) {
    expect(lua("FormatProgress", done, total)).toBe(formatProgress(done, total));
  }
  for (const s of [0, 1, 59, 60, 61, 3600]) expect(lua("FormatDuration", s)).toBe(formatDuration(s));
});

test("paging: a fixed pool of rows over any list length", () => {
  expect(pageOf(0, 12, 5)).toEqual({ offset: 0, count: 0, maxOffset: 0 });
  expect(pageOf(5, 12, 0)).toEqual({ offset: 0, count: 5, maxOffset: 0 });
  expect(pageOf(150, 12, 200)).toEqual({ offset: 138, count: 12, maxOffset: 138 });
  expect(wheel(0, -1, 150, 12)).toBe(3);
  expect(wheel(2, 1, 150, 12)).toBe(0);
  expect(reveal(0, 40, 150, 12)).toBe(29);
  expect(reveal(30, 35, 150, 12)).toBe(30);
  for (const [total, offset] of [[0, 0], [5, 3], [150, 200], [150, -4], [13, 1]]) {
    expect(lua("PageOf", total, 12, offset)).toEqual(pageOf(total, 12, offset));
  }
  expect(lua("Wheel", 0, -1, 150, 12)).toBe(3);
});

const local = {
  structure: "aaaaaaaaaaaaa",
  global: { tradeItems: "1111111111111", consumes: "2222222222222", rgo: "3333333333333" },
  raids: {
    BWL: {
      raid: "b000000000001",
      rollup: "b000000000002",
      encounters: {
        Razorgore: {
          encounter: "e000000000001",
          components: { encounterMetadata: "c1", roles: "c2", playerAssignments: "c3", raidMarks: "c4", assignmentNumbers: "c5", announcements: "c6" },
        },
      },
    },
    MC: { raid: "m000000000001", rollup: "m000000000002", encounters: {} },
  },
};
const remote = JSON.parse(JSON.stringify(local));
remote.structure = "bbbbbbbbbbbbb";
remote.raids.BWL.rollup = "b00000000000f";
remote.raids.BWL.encounters.Razorgore.encounter = "e00000000000f";
remote.raids.BWL.encounters.Razorgore.components.playerAssignments = "cf";
const result = {
  valid: false,
  level: "COMPONENT",
  corrupted: { global: [], raids: { BWL: { raidLevel: false, encounters: { Razorgore: ["playerAssignments"] } } } },
  errors: [],
};

test("the tree: Raid > Encounter > Component with status, both checksums and severity", () => {
  const model = buildTree(result as never, local, remote);
  const lines = model.rows.map((r) => [r.depth, r.label, r.status, r.localSum, r.remoteSum, r.severity].join(" "));
  expect(lines).toEqual([
    "0 tradeItems OK 1111111111111 1111111111111 None",
    "0 consumes OK 2222222222222 2222222222222 None",
    "0 rgo OK 3333333333333 3333333333333 None",
    "0 BWL MISMATCH b000000000002 b00000000000f Low",
    "1 Razorgore MISMATCH e000000000001 e00000000000f Low",
    "2 encounterMetadata OK c1 c1 None",
    "2 roles OK c2 c2 None",
    "2 playerAssignments MISMATCH c3 cf Low",
    "2 raidMarks OK c4 c4 None",
    "2 assignmentNumbers OK c5 c5 None",
    "2 announcements OK c6 c6 None",
    "0 MC OK m000000000002 m000000000002 None",
  ]);
  expect(model).toMatchObject({ valid: false, severity: "Low", summary: "1 problem found", firstProblem: 7, suggestedLevel: "COMPONENT" });
  const luaModel = raid.leader.eval<{ rows: unknown[]; summary: string; firstProblem: number }>(
    "OGRH.DataManagement.Util.BuildTree(" + toLuaLiteral(result) + ", " + toLuaLiteral(local) + ", " + toLuaLiteral(remote) + ")",
  );
  expect(luaModel.rows).toEqual(model.rows);
  expect(luaModel.summary).toBe(model.summary);
  expect(luaModel.firstProblem).toBe(7);
});

test("severity grows with the damage; the suggested level follows the planner", () => {
  const many = buildTree({ ...result, corrupted: { global: ["consumes"], raids: { BWL: { raidLevel: false, encounters: { Razorgore: ["roles", "raidMarks", "announcements"] } }, MC: { raidLevel: true, encounters: {} } } } } as never, local, remote);
  expect(many.severity).toBe("High");
  expect(many.summary).toBe("5 problems found in 2 raids");
  expect(many.suggestedLevel).toBe("COMPONENT"); // the first problem is the global component
  const enc = buildTree({ ...result, corrupted: { global: [], raids: { BWL: { raidLevel: false, encounters: { Razorgore: ["roles", "raidMarks", "announcements"] } } } } } as never, local, remote);
  expect(enc.suggestedLevel).toBe("ENCOUNTER");
  expect(enc.severity).toBe("Medium");
  const missing = buildTree({ ...result, corrupted: { global: [], raids: { AQ40: { raidLevel: true, encounters: {}, missing: "local" } } } } as never, local, remote);
  expect(missing.rows.find((r) => r.label === "AQ40")).toMatchObject({ status: "MISSING_LOCAL", severity: "Critical" });
  expect(missing.suggestedLevel).toBe("RAID");
  const ok = buildTree({ valid: true, level: "STRUCTURE", corrupted: { global: [], raids: {} }, errors: [] }, local, local);
  expect(ok).toMatchObject({ valid: true, summary: "Structure matches", firstProblem: -1, severity: "None" });
});

test("a selected row and a level become a repair request, or say what is missing", () => {
  const rows = buildTree(result as never, local, remote).rows;
  const comp = rows[7];
  expect(repairRequest("COMPONENT", comp).request).toEqual({ level: "COMPONENT", raid: "BWL", encounter: "Razorgore", component: "playerAssignments", label: "BWL > Razorgore > playerAssignments" });
  expect(repairRequest("ENCOUNTER", comp).request).toMatchObject({ level: "ENCOUNTER", raid: "BWL", encounter: "Razorgore" });
  expect(repairRequest("RAID", comp).request).toMatchObject({ level: "RAID", raid: "BWL" });
  expect(repairRequest("STRUCTURE", undefined).request).toMatchObject({ level: "STRUCTURE" });
  expect(repairRequest("COMPONENT", rows[3]).error).toMatch(/Select an encounter/);
  expect(repairRequest("COMPONENT", rows[4]).error).toMatch(/Select a component/);
  expect(repairRequest("COMPONENT", rows[0]).request).toMatchObject({ level: "GLOBAL", component: "tradeItems" });
  expect(repairRequest("ENCOUNTER", undefined).error).toMatch(/Select a row/);
});

test("repair targets: the raid admin only (online), never yourself", () => {
  const roster = [
    { name: "Tankmedady", rank: 2, subgroup: 1, online: true },
    { name: "Zed", rank: 1, subgroup: 1, online: true },
    { name: "Abe", rank: 1, subgroup: 1, online: true },
    { name: "Off", rank: 1, subgroup: 1, online: false },
    { name: "Member", rank: 0, subgroup: 1, online: true },
  ];
  // Repairs come from the raid admin only (one reference): officers are not offered.
  expect(repairTargets(roster, "Tankmedady", "Member").map((t) => t.label)).toEqual(["Tankmedady (admin)"]);
  expect(repairTargets(roster, "Tankmedady", "Tankmedady").map((t) => t.name)).toEqual([]);
});

test("rollback and the window format dates and sizes with one module (core/format.ts)", () => {
  for (const n of sizes) expect(raid.leader.eval(`OGRH.Rollback.FormatSize(${n})`)).toBe(formatSize(n));
  const t = 1769096700;
  expect(raid.leader.eval(`OGRH.Rollback.FormatTime(${t})`)).toBe(raid.leader.eval(`OGRH.DataManagement.Util.FormatStamp(date("%Y-%m-%d %H:%M", ${t}))`));
  expect(raid.leader.eval(`OGRH.Rollback.FormatTime(${t})`)).toMatch(/^Jan 22, 2026 \d{1,2}:\d\d [AP]M$/);
});

test("encounters of a raid that differs come in the plan's order when it is given, else by name", () => {
  const result = { valid: false, level: "STRUCTURE", corrupted: { global: [], raids: { MC: { raidLevel: false, encounters: { Lucifron: ["roles"], Admin: ["roles"], Zzz: ["roles"], Planning: ["roles"] } } } }, errors: [] };
  const h = { structure: "s", global: {}, raids: { MC: { raid: "m", rollup: "r", encounters: {} } } };
  const names = (order?: { [raid: string]: string[] }) => buildTree(result as never, h, h, order).rows.filter((r) => r.kind === "ENCOUNTER").map((r) => r.label);
  expect(names()).toEqual(["Admin", "Lucifron", "Planning", "Zzz"]);
  // Zzz is not in the plan's list (only the admin has it): after the others, by name.
  expect(names({ MC: ["Admin", "Planning", "Lucifron", "Garr"] })).toEqual(["Admin", "Planning", "Lucifron", "Zzz"]);
});
