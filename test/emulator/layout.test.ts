// Frame layout in the emulated client (anchors to rectangles) and its HTML rendering.
import { Raid } from "../harness/raid";
import { layoutOf, toHtml } from "../harness/render";

test("anchors resolve to screen rectangles; hidden frames and their children are not drawn", () => {
  const raid = Raid.start({ size: 1 });
  raid.leader.run(`
    local w = CreateFrame("Frame", "ProbeWindow", UIParent)
    w:SetWidth(400) w:SetHeight(300) w:SetPoint("CENTER", UIParent, "CENTER", 0, 0)
    w:SetBackdrop({}) w:SetBackdropColor(0, 0, 0, 0.8)
    local title = w:CreateFontString(nil, "OVERLAY") title:SetPoint("TOP", w, "TOP", 0, -10) title:SetText("|cffffd100Data|r Management")
    local b = CreateFrame("Button", "ProbeButton", w) b:SetWidth(100) b:SetHeight(22)
    b:SetPoint("BOTTOMRIGHT", w, "BOTTOMRIGHT", -10, 10) b:SetText("Close")
    local fill = w:CreateTexture(nil, "BACKGROUND") fill:SetPoint("TOPLEFT", w, "TOPLEFT", 5, -5)
    fill:SetPoint("BOTTOMRIGHT", w, "BOTTOMRIGHT", -5, 5) fill:SetTexture(0.1, 0.1, 0.1, 1)
    local hidden = CreateFrame("Frame", "HiddenChild", w) hidden:Hide()
    tinsert(UISpecialFrames, "ProbeWindow")`);
  const items = layoutOf(raid.leader);
  const win = items.find((i) => i.name === "ProbeWindow")!;
  expect(win).toMatchObject({ left: 312, right: 712, bottom: 234, top: 534 });
  expect(items.find((i) => i.name === "ProbeButton")).toMatchObject({ left: 602, right: 702, bottom: 244, top: 266 });
  expect(items.find((i) => i.type === "Texture")).toMatchObject({ left: 317, right: 707, top: 529, bottom: 239 });
  expect(items.find((i) => i.name === "HiddenChild")).toBeUndefined();
  const html = toHtml(items);
  expect(html).toContain('<span style="color:#ffd100">Data</span> Management');
  expect(html).toContain("Close");
  expect(raid.vm.eval('W.clients["Tankmedady"]:pressEscape()')).toBe(true);
  expect(layoutOf(raid.leader).find((i) => i.name === "ProbeWindow")).toBeUndefined();
  raid.close();
});
