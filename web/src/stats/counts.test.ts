import { describe, expect, it } from "vitest";

import { countsOf, statsSummary } from "./counts";

const stats = {
  journey: "cart",
  version: 2,
  runs: 3,
  nodes: [
    { node_id: "start", entered: 3, active: 0, completed: 3, failed: 0 },
    { node_id: "mail", entered: 2, active: 1, completed: 0, failed: 1 },
  ],
};

describe("countsOf", () => {
  it("reads a node's entered, now-there and failed counts", () => {
    expect(countsOf(stats, "mail")).toEqual({ entered: 2, now: 1, failed: 1 });
    expect(countsOf(stats, "start")).toEqual({ entered: 3, now: 0, failed: 0 });
  });

  it("counts zero for a node no run reached, and nothing before the stats arrive", () => {
    expect(countsOf(stats, "end")).toEqual({ entered: 0, now: 0, failed: 0 });
    expect(countsOf(undefined, "mail")).toBeNull();
  });
});

describe("statsSummary", () => {
  it("says which version and how many runs", () => {
    expect(statsSummary(stats)).toBe("Version 2: 3 runs");
    expect(statsSummary({ ...stats, runs: 1 })).toBe("Version 2: 1 run");
    expect(statsSummary({ ...stats, version: null })).toBe("3 runs");
  });
});
