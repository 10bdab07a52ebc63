// Every state pictured in docs/images/ comes up without a Lua error (the pictures themselves need
// Chromium: npm run screenshots).
import { layoutOf } from "../harness/render";
import { startState, stateErrors, states } from "./states";

test.each(states.map((s) => [s.name, s] as const))("state %s renders without errors", (_name, state) => {
  const raid = startState(state);
  try {
    const client = state.setup(raid);
    expect(layoutOf(client).some((i) => i.name === "OGRHDataManagement")).toBe(true);
    expect(stateErrors(state, raid)).toEqual([]);
  } finally {
    raid.close();
  }
});
