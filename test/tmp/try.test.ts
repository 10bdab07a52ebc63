import * as fs from "fs";
import { Raid, ROSTER_NAMES } from "../harness/raid";
test("load", () => {
  for (const [tag, both] of [["A", true], ["B", false]] as const) {
    const addons: Record<string, string[]> = {};
    for (let i = 0; i < 6; i++) if (!both || i === 5) addons[ROSTER_NAMES[i]] = ["OG-RaidHelper"];
    const raid = Raid.start({ size: 6, turtleG: true, withOGRaidHelper: true, addons });
    raid.advance(60);
    for (const c of raid.clients) {
      fs.writeFileSync("/tmp/" + tag + "ogrh-" + c.name + ".txt", c.canonical("OGRH").replace(/,/g, ",\n"));
      fs.writeFileSync("/tmp/" + tag + "sv-" + c.name + ".txt", c.canonical("OGRH_SV").replace(/,/g, ",\n"));
    }
    console.log(tag, raid.messages().length, raid.messages().filter((m) => m.prefix === "OGSY").length);
    raid.close();
  }
});
