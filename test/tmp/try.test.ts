import { Raid } from "../harness/raid";
test("load", () => {
  const raid = Raid.start({ size: 2, turtleG: true, withOGRaidHelper: true, addons: { Gnuzench: ["OG-RaidHelper"] } });
  raid.advance(60);
  for (const c of raid.clients) console.log(c.name, c.eval("OGRH_SV and OGRH_SV.schemaVersion"), c.eval("OGRH_Sync and OGRH_Sync.MODE"), c.eval("OGRH.SVM ~= nil"), c.chatText().slice(0, 1500));
  const msgs = raid.messages();
  console.log(msgs.length, JSON.stringify(msgs.slice(0, 10)));
  raid.leader.clearChat();
  raid.leader.slash("/ogrhsync");
  raid.leader.slash("/ogrh");
  console.log(raid.leader.chatText().slice(0, 2000));
  raid.close();
});
