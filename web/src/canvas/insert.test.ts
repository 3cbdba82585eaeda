import { describe, expect, it } from "vitest";

import nodeTypes from "../api/node-types.json";
import { type NodeTypeSpec, makeRegistry } from "../nodes/registry";
import { type FlowGraph, toDocument, toFlow } from "./convert";
import { canSplitWith, continuationHandle, insertOnEdge } from "./insert";

const registry = makeRegistry(nodeTypes as unknown as NodeTypeSpec[]);
const spec = (type: string) => registry.byType.get(type);

function graph(edges: unknown[]): FlowGraph {
  return toFlow(
    {
      key: "k",
      name: "K",
      nodes: [
        { id: "start", type: "trigger", config: { kind: "manual" }, position: { x: 0, y: 0 } },
        { id: "check", type: "condition", config: { expression: "true" }, position: { x: 300, y: 0 } },
        { id: "done", type: "end", position: { x: 600, y: 0 } },
      ],
      edges,
    },
    registry,
  );
}

const at = { x: 400, y: 100 };
const links = (result: { nodes: FlowGraph["nodes"]; edges: FlowGraph["edges"] }) =>
  toDocument({ meta: { key: "k", name: "K" }, ...result }).edges.map((edge) => [edge.source, edge.branch ?? null, edge.target]);

describe("inserting a step on an edge", () => {
  it("splits A -> B into A -> new -> B", () => {
    const result = insertOnEdge(graph([{ source: "start", target: "check" }]), registry, "start-check", "log", at);
    expect(result.split).toBe(true);
    expect(result.nodeId).toBe("log");
    expect(links(result)).toEqual([
      ["start", null, "log"],
      ["log", null, "check"],
    ]);
    const added = result.nodes.find((node) => node.id === "log");
    expect(added?.position).toEqual(at);
    expect(result.nodes.filter((node) => node.selected).map((node) => node.id)).toEqual(["log"]);
  });

  it("keeps the source's branch on the first edge and leaves the new step by its first branch", () => {
    const result = insertOnEdge(graph([{ id: "yes", source: "check", target: "done", branch: "true", note: "kept" }]), registry, "yes", "wait_for_event", at);
    expect(links(result)).toEqual([
      ["check", "true", "wait_for_event"],
      ["wait_for_event", "event", "done"],
    ]);
    const first = toDocument({ meta: { key: "k", name: "K" }, ...result }).edges[0];
    expect(first.note).toBe("kept");
    expect(result.edges.map((edge) => edge.sourceHandle)).toEqual(["true", "event"]);
  });

  it("leaves a switch by its default branch", () => {
    expect(continuationHandle(spec("switch"), { cases: [{ id: "gold" }] })).toBe("default");
    const result = insertOnEdge(graph([{ source: "start", target: "check" }]), registry, "start-check", "switch", at);
    expect(links(result)[1]).toEqual(["switch", "default", "check"]);
  });

  it("only adds a step that cannot sit between two steps", () => {
    const before = graph([{ source: "check", target: "done", branch: "false" }]);
    for (const type of ["end", "trigger"]) {
      const result = insertOnEdge(before, registry, "check-false-done", type, at);
      expect(result.split).toBe(false);
      expect(result.edges).toBe(before.edges);
      expect(result.nodes).toHaveLength(4);
    }
    expect(canSplitWith(spec("end"), registry)).toBe(false);
    expect(canSplitWith(spec("trigger"), registry)).toBe(false);
    expect(canSplitWith(spec("log"), registry)).toBe(true);
  });

  it("only adds the step when the edge is gone", () => {
    const result = insertOnEdge(graph([]), registry, "start-check", "log", at);
    expect(result.split).toBe(false);
    expect(result.nodes.map((node) => node.id)).toContain("log");
  });

  it("gives fresh ids to the new step and edges", () => {
    const before = graph([{ source: "start", target: "check" }]);
    const once = insertOnEdge(before, registry, "start-check", "end", at);
    const twice = insertOnEdge({ nodes: [...once.nodes, { ...once.nodes[3], id: "log" }], edges: [...before.edges, { ...before.edges[0], id: "e-start-log_2" }] }, registry, "start-check", "log", at);
    expect(twice.nodeId).toBe("log_2");
    expect(new Set(twice.edges.map((edge) => edge.id)).size).toBe(twice.edges.length);
  });
});
