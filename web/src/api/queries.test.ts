import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";

import { STATS_REFRESH_MS, queryKeys, runListQuery, runsChanged, statsQuery } from "./queries";

describe("query keys", () => {
  it("keep a journey's run list and stats under one prefix, apart from other journeys", () => {
    const prefix = queryKeys.journeyRuns("cart");
    expect(queryKeys.runList("cart").slice(0, prefix.length)).toEqual(prefix);
    expect(queryKeys.stats("cart", 2).slice(0, prefix.length)).toEqual(prefix);
    expect(queryKeys.stats("cart", 2)).not.toEqual(queryKeys.stats("cart", 3));
    expect(queryKeys.runList("welcome")).not.toEqual(queryKeys.runList("cart"));
    expect(runListQuery("cart").queryKey).toEqual(queryKeys.runList("cart"));
  });
});

describe("statsQuery", () => {
  it("polls only while shown, and never without a published version", () => {
    expect(statsQuery("cart", 2, true)).toMatchObject({ enabled: true, refetchInterval: STATS_REFRESH_MS, queryKey: queryKeys.stats("cart", 2) });
    expect(statsQuery("cart", 2, false)).toMatchObject({ enabled: false, refetchInterval: false });
    expect(statsQuery("cart", null, true).enabled).toBe(false);
  });
});

describe("runsChanged", () => {
  it("makes the journey's runs, stats and the run stale, nothing else", async () => {
    const client = new QueryClient();
    const keys = {
      list: queryKeys.runList("cart"),
      stats: queryKeys.stats("cart", 1),
      run: queryKeys.run("r1"),
      otherRun: queryKeys.run("r2"),
      otherJourney: queryKeys.runList("welcome"),
    };
    for (const key of Object.values(keys)) client.setQueryData(key, []);
    await runsChanged(client, "cart", "r1");
    const stale = Object.entries(keys)
      .filter(([, key]) => client.getQueryState(key)?.isInvalidated)
      .map(([name]) => name);
    expect(stale.sort()).toEqual(["list", "run", "stats"]);
  });
});
