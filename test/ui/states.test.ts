// Every state pictured in docs/images/ comes up without a Lua error (the pictures themselves need
// Chromium: npm run screenshots).
import { Raid } from "../harness/raid";
import { layoutOf } from "../harness/render";
import { states } from "./states";

test.each(states.map((s) => [s.name, s] as const))("state %s renders without errors", (_name, state) => {
  const raid = Raid.start({ size: 5, assistants: ["Gnuzench"] });
  try {
    const client = state.setup(raid);
    expect(layoutOf(client).some((i) => i.name === "OGRHDataManagement")).toBe(true);
    expect(raid.allErrors()).toEqual([]);
  } finally {
    raid.close();
  }
});
