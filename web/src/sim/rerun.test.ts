import { describe, expect, it } from "vitest";

import type { JourneyDocument } from "../api/document";
import { simulationKey } from "./rerun";

const doc: JourneyDocument = {
  key: "cart",
  name: "Cart",
  nodes: [
    { id: "start", type: "trigger", config: { kind: "manual" }, position: { x: 0, y: 0 } },
    { id: "end", type: "end", position: { x: 200, y: 0 } },
  ],
  edges: [{ source: "start", target: "end" }],
  annotations: [{ text: "a note" }],
};

describe("simulationKey", () => {
  it("ignores where steps sit and the notes", () => {
    const moved = { ...doc, nodes: doc.nodes.map((node) => ({ ...node, position: { x: 40, y: 80 } })), annotations: [] };
    expect(simulationKey(moved)).toBe(simulationKey(doc));
  });

  it("changes with the graph, a step's config and the settings", () => {
    const base = simulationKey(doc);
    expect(simulationKey({ ...doc, edges: [] })).not.toBe(base);
    expect(simulationKey({ ...doc, nodes: [{ ...doc.nodes[0], config: { kind: "event", event: "x" } }, doc.nodes[1]] })).not.toBe(base);
    expect(simulationKey({ ...doc, settings: { reentry: "once" } })).not.toBe(base);
  });
});
