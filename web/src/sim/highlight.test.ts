import { describe, expect, it } from "vitest";

import { offsetLabel, parseObject, pathHighlight, pruneHighlight } from "./highlight";

const edges = [
  { id: "e1", source: "start", target: "wait" },
  { id: "e2", source: "wait", target: "vip" },
  { id: "e3", source: "wait", target: "ordered" },
  { id: "e4", source: "vip", target: "mail" },
  { id: "e5", source: "vip", target: "vip_mail" },
  { id: "e6", source: "mail", target: "end" },
];

describe("pathHighlight", () => {
  it("lights the nodes on the path and the edges between consecutive ones", () => {
    const lit = pathHighlight(["start", "wait", "vip", "mail", "end"], edges);
    expect([...lit.nodes]).toEqual(["start", "wait", "vip", "mail", "end"]);
    expect([...lit.edges].sort()).toEqual(["e1", "e2", "e4", "e6"]);
  });

  it("lights no edge between nodes that are not consecutive", () => {
    const lit = pathHighlight(["start", "vip"], edges);
    expect(lit.edges.size).toBe(0);
  });

  it("handles loops, a single node and an empty path", () => {
    const loop = pathHighlight(["a", "b", "a", "b"], [
      { id: "ab", source: "a", target: "b" },
      { id: "ba", source: "b", target: "a" },
      { id: "bc", source: "b", target: "c" },
    ]);
    expect([...loop.nodes]).toEqual(["a", "b"]);
    expect([...loop.edges].sort()).toEqual(["ab", "ba"]);
    expect(pathHighlight(["start"], edges).edges.size).toBe(0);
    expect(pathHighlight([], edges).nodes.size).toBe(0);
  });

  it("lights every parallel edge between the same two nodes", () => {
    const lit = pathHighlight(["a", "b"], [
      { id: "x", source: "a", target: "b" },
      { id: "y", source: "a", target: "b" },
    ]);
    expect([...lit.edges].sort()).toEqual(["x", "y"]);
  });
});

describe("offsetLabel", () => {
  it("says how long after the start", () => {
    expect(offsetLabel("2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z")).toBe("+0s");
    expect(offsetLabel("2026-01-01T00:00:00Z", "2026-01-01T04:00:00Z")).toBe("+4h");
    expect(offsetLabel("2026-01-01T00:00:00Z", "2026-01-02T02:05:00Z")).toBe("+1d 2h 5m");
    expect(offsetLabel("x", "y")).toBe("");
  });
});

describe("parseObject", () => {
  it("reads an object, empty text as {}, and explains the rest", () => {
    expect(parseObject('{"a": 1}', "User")).toEqual({ value: { a: 1 } });
    expect(parseObject("  ", "User")).toEqual({ value: {} });
    expect(parseObject("[1]", "User")).toEqual({ error: "User must be a JSON object ({...})" });
    expect("error" in parseObject("{oops", "Input")).toBe(true);
  });
});

describe("pruneHighlight", () => {
  const lit = pathHighlight(["start", "wait", "vip", "mail", "end"], edges);
  const ids = (names: string[]) => names.map((id) => ({ id }));

  it("drops the nodes and edges that are gone", () => {
    const pruned = pruneHighlight(lit, ids(["start", "wait", "mail", "end", "ordered"]), ids(["e1", "e3", "e6"]));
    expect([...pruned.nodes]).toEqual(["start", "wait", "mail", "end"]);
    expect([...pruned.edges].sort()).toEqual(["e1", "e6"]);
  });

  it("keeps the same highlight when nothing on it is gone", () => {
    expect(pruneHighlight(lit, ids(["start", "wait", "vip", "mail", "end", "x"]), edges)).toBe(lit);
  });
});
