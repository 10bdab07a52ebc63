// The emulated 1.12 client: globals, 1.12 semantics, SavedVariables written and read as the client does.
import { Raid } from "../harness/raid";

describe("emulated 1.12 client", () => {
  let raid: Raid;
  afterEach(() => raid.close());

  test("runs Lua 5.0 with the 1.12 globals and without the libraries the client lacks", () => {
    raid = Raid.start({ size: 2 });
    const c = raid.leader;
    expect(c.eval("_VERSION")).toBe("Lua 5.0.3");
    expect(c.eval("{ io == nil, os == nil, debug == nil, dofile == nil, loadfile == nil, require == nil }")).toEqual([true, true, true, true, true, true]);
    expect(c.eval("{ string.match == nil, string.gmatch == nil, select == nil }")).toEqual([true, true, true]);
    expect(c.eval("{ strsub('abc', 2), mod(7, 3), getn({1, 2}), floor(2.5) }")).toEqual(["bc", 1, 2, 2]);
    expect(c.eval("IsRaidLeader()")).toBe(1);
    expect(raid.player("Gnuzench").eval("IsRaidLeader()")).toBeNull();
  });

  test("each client has its own globals; stock 1.12 has no _G, Turtle's UI defines it", () => {
    raid = Raid.start({ size: 2, login: false });
    raid.leader.login();
    raid.member(1).login();
    raid.leader.run("MY_GLOBAL = 42");
    expect(raid.member(1).eval("MY_GLOBAL")).toBeNull();
    expect(raid.leader.eval("getfenv(0).MY_GLOBAL")).toBe(42);
    raid.close();
    raid = Raid.start({ size: 1, turtleG: true });
    expect(raid.leader.eval("_G.GetTime ~= nil")).toBe(true);
  });

  test("script handlers get this, event and arg1..arg9 as globals; OnUpdate gets the elapsed time", () => {
    raid = Raid.start({ size: 1 });
    raid.leader.run(`
      total, calls = 0, 0
      local f = CreateFrame("Frame", "MyFrame")
      f:SetScript("OnUpdate", function() total = total + arg1; calls = calls + 1; seen = (this == MyFrame) end)`);
    raid.advance(1);
    expect(raid.leader.eval("calls")).toBe(25);
    expect(raid.leader.eval<number>("total")).toBeCloseTo(1, 6);
    expect(raid.leader.eval("seen")).toBe(true);
    raid.leader.run(`MyFrame:Hide()`);
    raid.advance(1);
    expect(raid.leader.eval("calls")).toBe(25);
  });

  test("a script error goes to the client's error list, not into the test", () => {
    raid = Raid.start({ size: 1 });
    raid.leader.run(`local f = CreateFrame("Frame") f:SetScript("OnUpdate", function() error("boom") end)`);
    raid.advance(0.05);
    expect(raid.leader.errors()[0].message).toMatch(/boom/);
    expect(() => raid.leader.run(`CreateFrame("Frame"):SetScript("OnClick", function() end)`)).toThrow(/no script 'OnClick'/);
  });

  test("SavedVariables survive /reload byte-exact: every byte, floats, nested and sparse tables", () => {
    raid = Raid.start({ size: 1 });
    const c = raid.leader;
    c.run(`
      local bytes = {}
      for i = 0, 255 do bytes[i + 1] = string.char(i) end
      OGRH_SV.probe = {
        allBytes = table.concat(bytes), crlf = "a\\r\\nb\\\\\\n", quote = "\\"'",
        floats = { 0.1, 1/3, -2.5e-300, 1e300, 2^53 + 2, 123456789012345678 },
        sparse = { [1] = "a", [3] = "c", [100] = "z", [-4] = "neg", [0.5] = "half" },
        mixed = { [1] = "one", ["1"] = "string one", [true] = "yes" },
        nested = { a = { b = { c = { d = {} } } } },
      }
      before = OGRH_SV`);
    raid.vm.exec(`expected = W.clients["Tankmedady"].env.OGRH_SV`);
    c.reload();
    raid.vm.exec(`actual = W.clients["Tankmedady"].env.OGRH_SV`);
    expect(raid.vm.eval("actual ~= expected")).toBe(true);
    expect(raid.vm.eval("EmuSavedVars.deepEqual(actual, expected)")).toBe(true);
    expect(raid.vm.eval("string.len(actual.probe.allBytes)")).toBe(256);
    expect(raid.vm.eval("actual.probe.floats[2] == 1/3 and actual.probe.floats[6] == 123456789012345678")).toBe(true);
    expect(raid.vm.eval("actual.probe.mixed[1] ~= actual.probe.mixed['1']")).toBe(true);
  });

  test("a SavedVariables file that does not parse is ignored whole, as the client does", () => {
    raid = Raid.start({ size: 1, savedVariables: { Tankmedady: "OGRH_SV = { broken" } });
    expect(raid.leader.loadErrors()[0]).toMatch(/SavedVariables/);
  });

  test("slash commands and popups work as in the client", () => {
    raid = Raid.start({ size: 1 });
    raid.leader.run(`
      SLASH_PROBE1 = "/probe"
      SlashCmdList["PROBE"] = function(msg) last = msg end
      StaticPopupDialogs["PROBE_CONFIRM"] = { text = "Delete %s?", button1 = "Yes", button2 = "No",
        OnAccept = function(data) accepted = data end }`);
    raid.leader.slash("/PROBE  hello world ");
    expect(raid.leader.eval("last")).toBe("hello world");
    raid.leader.run(`StaticPopup_Show("PROBE_CONFIRM", "backup 3", nil, 3)`);
    expect(raid.leader.popups()).toEqual([{ which: "PROBE_CONFIRM", text: "Delete backup 3?" }]);
    raid.leader.clickPopup(1);
    expect(raid.leader.eval("accepted")).toBe(3);
    raid.leader.slash("/nosuch");
    expect(raid.leader.chatText()).toContain("Type '/help'");
  });
});

describe("measuring Lua CPU in the VM", () => {
  test("instruction counts are deterministic and grow with the work", () => {
    const raid = Raid.start({ size: 1 });
    const small = raid.vm.eval<{ kinstructions: number }>("EmuMeasure.run(function() local s = 0 for i = 1, 100000 do s = s + i end end)");
    const again = raid.vm.eval<{ kinstructions: number }>("EmuMeasure.run(function() local s = 0 for i = 1, 100000 do s = s + i end end)");
    const big = raid.vm.eval<{ kinstructions: number }>("EmuMeasure.run(function() local s = 0 for i = 1, 1000000 do s = s + i end end)");
    raid.close();
    expect(again.kinstructions).toBe(small.kinstructions);
    expect(big.kinstructions).toBeGreaterThan(small.kinstructions * 9);
  });
});
