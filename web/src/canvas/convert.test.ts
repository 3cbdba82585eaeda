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

  it("round-trips sticky notes and group frames exactly, apart from the steps", () => {
    const doc = {
      key: "notes",
      name: "Notes",
      nodes: [
        { id: "start", type: "trigger", config: { kind: "manual" }, position: { x: 0, y: 0 } },
        { id: "done", type: "end", position: { x: 300, y: 0 } },
      ],
      edges: [{ id: "e1", source: "start", target: "done" }],
      annotations: [
        { id: "start", kind: "note", text: "Why we start here", position: { x: 10, y: -200 }, size: { width: 220, height: 140 }, color: "blue" },
        { id: "frame", kind: "group", text: "Onboarding", position: { x: -40, y: -40 }, size: { width: 600, height: 200 }, nodes: ["start", "done"] },
        { id: "bare", kind: "note", position: { x: 5, y: 6 } },
        { id: "odd", kind: "sticker", text: 7, position: { x: 1, y: 2 }, future: { a: 1 } },
      ],
      metadata: { owner: "growth" },
    };
    const graph = toFlow(doc, registry);
    expect(graph.errors).toEqual([]);
    expect(graph.nodes.map((node) => node.id)).toEqual(["start", "done"]);
    const notes = graph.annotations ?? [];
    expect(notes.map((note) => [note.id, note.type])).toEqual([
      ["annotation:start", "note"],
      ["annotation:frame", "frame"],
      ["annotation:bare", "note"],
      ["annotation:odd", "note"],
    ]);
    expect(notes.every((note) => note.connectable === false && (note.zIndex ?? 0) < 0)).toBe(true);
    expect(notes[0]).toMatchObject({ width: 220, height: 140, data: { text: "Why we start here", color: "blue" } });
    expect(toDocument(graph)).toEqual(doc);

    const moved = notes.map((note) => (note.id === "annotation:bare" ? { ...note, position: { x: 40.4, y: 79.6 }, width: 300.2, height: 99.8, data: { ...note.data, text: "Moved" } } : note));
    expect(toDocument({ ...graph, annotations: moved }).annotations?.[2]).toEqual({ id: "bare", kind: "note", text: "Moved", position: { x: 40, y: 80 }, size: { width: 300, height: 100 } });
  });

  it("keeps an absent annotations list absent and an empty one empty", () => {
    const bare = { key: "k", name: "K", nodes: [], edges: [] };
    expect(toFlow(bare, registry).annotations).toBeUndefined();
    expect(toDocument(toFlow(bare, registry))).toEqual(bare);
    const empty = { ...bare, annotations: [] };
    expect(toDocument(toFlow(empty, registry))).toEqual(empty);
  });

  it("reports annotations it cannot draw", () => {
    const doc = {
      key: "k",
      name: "K",
      nodes: [],
      edges: [],
      annotations: [{ kind: "note" }, { id: "a", position: { x: 0, y: 0 } }, { id: "a", position: { x: 1, y: 1 } }, { id: "b" }, { id: "c", position: { x: 0, y: 0 }, size: { width: "wide" } }],
    };
    const graph = toFlow(doc, registry);
    expect(graph.errors.map((error) => error.message)).toEqual([
      "Annotation #1 has no id and cannot be shown",
      "Annotation id 'a' is used twice; the second one is not shown",
      "Annotation 'b' has no valid position and cannot be shown",
      "Annotation 'c' has an invalid size; it is drawn at the default size",
    ]);
    expect(graph.annotations?.map((note) => note.id)).toEqual(["annotation:a", "annotation:c"]);
    expect(toDocument(graph).annotations?.[1]).toEqual({ id: "c", position: { x: 0, y: 0 }, size: { width: "wide" } });
    expect(toFlow({ ...doc, annotations: "lots" }, registry).errors).toEqual([{ message: "'annotations' is not a list" }]);
  });
});
