import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

import nodeTypes from "../api/node-types.json";
import { type NodeTypeSpec, makeRegistry } from "../nodes/registry";
import { toDocument, toFlow } from "./convert";

const registry = makeRegistry(nodeTypes as unknown as NodeTypeSpec[]);
const EXAMPLES = join(__dirname, "..", "..", "..", "examples");
const examples = readdirSync(EXAMPLES).filter((name) => name.endsWith(".json"));

describe("toFlow/toDocument", () => {
  it("finds the example journeys", () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples)("round-trips %s without errors", (name) => {
    const doc = JSON.parse(readFileSync(join(EXAMPLES, name), "utf-8"));
    const graph = toFlow(doc, registry);
    expect(graph.errors).toEqual([]);
    expect(graph.nodes).toHaveLength(doc.nodes.length);
    expect(graph.edges).toHaveLength(doc.edges.length);
    expect(toDocument(graph)).toEqual(doc);
    // Every edge leaves by a handle its source node really has.
    for (const edge of graph.edges) {
      const node = graph.nodes.find((candidate) => candidate.id === edge.source);
      expect(node, edge.id).toBeDefined();
    }
  });

  it("keeps derived edge ids out of the document and lays out unplaced nodes", () => {
    const doc = {
      key: "k",
      name: "K",
      nodes: [
        { id: "start", type: "trigger", config: { kind: "manual" } },
        { id: "check", type: "condition", config: { expression: "true" } },
        { id: "done", type: "end" },
      ],
      edges: [
        { source: "start", target: "check" },
        { source: "check", target: "done", branch: "true" },
        { source: "check", target: "done", branch: "false" },
      ],
    };
    const graph = toFlow(doc, registry);
    expect(graph.errors).toEqual([]);
    expect(graph.edges.map((edge) => edge.id)).toEqual(["start-check", "check-true-done", "check-false-done"]);
    expect(graph.edges.map((edge) => edge.sourceHandle)).toEqual(["out", "true", "false"]);
    const xs = graph.nodes.map((node) => node.position.x);
    expect(xs[0]).toBeLessThan(xs[1]);
    expect(xs[1]).toBeLessThan(xs[2]);
    expect(toDocument(graph)).toEqual(doc);
    const moved = graph.nodes.map((node) => ({ ...node, data: { ...node.data, autoPosition: undefined } }));
    expect(toDocument({ ...graph, nodes: moved }).nodes[0].position).toEqual({ x: 0, y: 0 });
  });

  it("reports problems per node and keeps what it cannot show", () => {
    const doc = {
      key: "broken",
      name: "Broken",
      nodes: [
        { id: "start", type: "trigger", config: { kind: "manual" } },
        { id: "mystery", type: "teleport" },
        { id: "start", type: "end" },
        { type: "end" },
        { id: "check", type: "condition", config: { expression: "true" } },
        { id: "odd", type: "log", config: { message: "hi" }, position: { x: "left" } },
      ],
      edges: [
        { id: "e1", source: "start", target: "ghost" },
        { id: "e2", source: "check", target: "start", branch: "maybe" },
        { id: "e3", source: "check", target: "mystery" },
        { id: "e4", source: "start", target: "check", branch: "true" },
        { id: "e4", source: "start", target: "check" },
      ],
    };
    const graph = toFlow(doc, registry);
    const byNode = (id: string) => graph.errors.filter((error) => error.nodeId === id).map((error) => error.message);
    expect(byNode("mystery")).toEqual(["Node 'mystery' has an unknown type 'teleport'"]);
    expect(byNode("start")).toEqual([
      "Node id 'start' is used twice; the second node is not shown",
      "Edge 'e4' names branch 'true', but 'start' has no named branches",
    ]);
    expect(byNode("check")).toEqual([
      "Edge 'e2' leaves by unknown branch 'maybe' of node 'check'",
      "Edge 'e3' names no branch of node 'check'",
    ]);
    expect(byNode("odd")).toEqual(["Node 'odd' has an invalid position; it was laid out again"]);
    expect(graph.errors.filter((error) => error.nodeId === undefined).map((error) => error.message)).toEqual([
      "Node #4 has no id and cannot be shown",
      "Edge 'e1' ends at unknown node 'ghost'",
      "Edge id 'e4' is used twice; the second edge is not shown",
    ]);
    expect(graph.nodes.map((node) => node.id)).toEqual(["start", "mystery", "check", "odd"]);
    expect(graph.edges.map((edge) => edge.id)).toEqual(["e1", "e2", "e3", "e4"]);
  });

  it("survives documents that are not journeys at all", () => {
    expect(toFlow(null, registry).errors).toEqual([{ message: "The document is not a JSON object" }]);
    expect(toFlow({ nodes: 3, edges: [] }, registry).errors).toEqual([{ message: "'nodes' is not a list" }]);
  });
});
