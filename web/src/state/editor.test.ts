import { beforeEach, describe, expect, it } from "vitest";

import nodeTypes from "../api/node-types.json";
import { type NodeTypeSpec, makeRegistry } from "../nodes/registry";
import { beginBatch, copySelection, currentDocument, endBatch, isValidConnection, parseClipboard, redo, renamedBranches, undo, useEditor } from "./editor";

const registry = makeRegistry(nodeTypes as unknown as NodeTypeSpec[]);

function load(nodes: unknown[], edges: unknown[] = []) {
  useEditor.getState().setRegistry(registry);
  useEditor.getState().load({
    key: "k",
    name: "K",
    status: "draft",
    revision: 1,
    published_version: null,
    issues: [],
    draft: { key: "k", name: "K", nodes, edges } as never,
  });
}

const connect = (source: string, sourceHandle: string, target: string) => useEditor.getState().onConnect({ source, sourceHandle, target, targetHandle: "in" });

describe("the editor store", () => {
  beforeEach(() =>
    load([
      { id: "start", type: "trigger", config: { kind: "manual" }, position: { x: 0, y: 0 } },
      { id: "check", type: "condition", config: { expression: "true" }, position: { x: 300, y: 0 } },
      { id: "fan", type: "parallel", position: { x: 300, y: 200 } },
      { id: "done", type: "end", position: { x: 600, y: 0 } },
    ]),
  );

  it("connects branches and writes them into the document", () => {
    connect("start", "out", "check");
    connect("check", "true", "done");
    expect(currentDocument().edges).toEqual([
      { id: "e-start-check", source: "start", target: "check" },
      { id: "e-check-true-done", source: "check", target: "done", branch: "true" },
    ]);
  });

  it("refuses connections the DSL forbids", () => {
    const state = () => useEditor.getState();
    expect(isValidConnection({ source: "check", sourceHandle: "true", target: "start" }, state())).toBe(false);
    expect(isValidConnection({ source: "check", sourceHandle: "true", target: "check" }, state())).toBe(false);
    expect(isValidConnection({ source: "check", sourceHandle: "maybe", target: "done" }, state())).toBe(false);
    connect("check", "true", "done");
    expect(isValidConnection({ source: "check", sourceHandle: "true", target: "fan" }, state())).toBe(false);
    expect(isValidConnection({ source: "check", sourceHandle: "false", target: "fan" }, state())).toBe(true);
    connect("fan", "out", "done");
    expect(isValidConnection({ source: "fan", sourceHandle: "out", target: "check" }, state())).toBe(true);
    expect(isValidConnection({ source: "fan", sourceHandle: "out", target: "done" }, state())).toBe(false);
  });

  it("points a branch at another step from the inspector, as one undo step", () => {
    const { connectBranch } = useEditor.getState();
    connectBranch("check", "true", "done");
    connectBranch("check", "true", "fan");
    expect(currentDocument().edges).toEqual([{ id: "e-check-true-fan", source: "check", target: "fan", branch: "true" }]);
    undo();
    expect(currentDocument().edges).toEqual([{ id: "e-check-true-done", source: "check", target: "done", branch: "true" }]);
    useEditor.getState().connectBranch("check", "true", "start");
    expect(currentDocument().edges).toHaveLength(1);
    useEditor.getState().connectBranch("check", "true", null);
    expect(currentDocument().edges).toEqual([]);
  });

  it("adds a fork's branches one by one and removes one", () => {
    const { connectBranch } = useEditor.getState();
    connectBranch("fan", "out", "check");
    connectBranch("fan", "out", "done");
    connectBranch("fan", "out", "done");
    expect(currentDocument().edges.map((edge) => edge.target)).toEqual(["check", "done"]);
    useEditor.getState().removeEdge("e-fan-check");
    expect(currentDocument().edges.map((edge) => edge.target)).toEqual(["done"]);
  });

  it("adds nodes with readable ids and their schema's defaults", () => {
    const state = useEditor.getState();
    expect(state.addNode("end", { x: 0, y: 300 })).toBe("end");
    expect(useEditor.getState().addNode("end", { x: 0, y: 400 })).toBe("end_2");
    const added = currentDocument().nodes.find((node) => node.id === "end_2");
    expect(added).toEqual({ id: "end_2", type: "end", config: { status: "completed" }, position: { x: 0, y: 400 } });
    expect(currentDocument().nodes.find((node) => node.id === "fan")).not.toHaveProperty("config");
  });

  it("undoes a typed edit in one step and redoes it", () => {
    const { updateConfig } = useEditor.getState();
    for (const expression of ["u", "us", "use", "user.vip"]) updateConfig("check", { expression });
    expect(currentDocument().nodes[1].config).toEqual({ expression: "user.vip" });
    undo();
    expect(currentDocument().nodes[1].config).toEqual({ expression: "true" });
    redo();
    expect(currentDocument().nodes[1].config).toEqual({ expression: "user.vip" });
  });

  it("makes a batch (a drag) one undo step", () => {
    beginBatch();
    for (let x = 10; x <= 100; x += 10) useEditor.getState().onNodesChange([{ type: "position", id: "done", position: { x, y: 0 }, dragging: true }]);
    endBatch();
    expect(currentDocument().nodes[3].position).toEqual({ x: 100, y: 0 });
    undo();
    expect(currentDocument().nodes[3].position).toEqual({ x: 600, y: 0 });
    expect(useEditor.temporal.getState().pastStates).toHaveLength(0);
  });

  it("ignores selection in the history", () => {
    useEditor.getState().select("check");
    useEditor.getState().select(null);
    expect(useEditor.temporal.getState().pastStates).toHaveLength(0);
  });

  it("renames edges with their branch and nodes with their edges", () => {
    load([
      { id: "start", type: "trigger", config: { kind: "manual" } },
      { id: "route", type: "switch", config: { cases: [{ id: "vip", expression: "true" }] } },
      { id: "done", type: "end" },
    ]);
    connect("start", "out", "route");
    connect("route", "vip", "done");
    useEditor.getState().updateConfig("route", { cases: [{ id: "gold", expression: "true" }] });
    expect(currentDocument().edges[1]).toMatchObject({ source: "route", branch: "gold", target: "done" });
    expect(useEditor.getState().renameNode("route", "by_tier")).toBeNull();
    expect(useEditor.getState().renameNode("by_tier", "start")).toBe("'start' is taken");
    expect(currentDocument().edges.map((edge) => [edge.source, edge.target])).toEqual([
      ["start", "by_tier"],
      ["by_tier", "done"],
    ]);
  });

  it("deleting a node deletes its edges", () => {
    connect("start", "out", "check");
    useEditor.getState().onNodesChange([{ type: "remove", id: "check" }]);
    expect(currentDocument().edges).toEqual([]);
  });
});

describe("copy and paste", () => {
  it("pastes the selected steps and their inner edges under fresh ids, as one undo step", () => {
    load([
      { id: "start", type: "trigger", config: { kind: "manual" }, position: { x: 0, y: 0 } },
      { id: "check", type: "condition", config: { expression: "true" }, position: { x: 300, y: 0 } },
      { id: "done", type: "end", position: { x: 600, y: 0 } },
    ]);
    connect("start", "out", "check");
    connect("check", "true", "done");
    useEditor.getState().select("check");
    useEditor.getState().onNodesChange([{ type: "select", id: "done", selected: true }]);
    const clip = parseClipboard(JSON.stringify(copySelection(useEditor.getState())));
    expect(clip?.nodes.map((node) => node.id)).toEqual(["check", "done"]);
    expect(clip?.edges).toHaveLength(1);
    useEditor.getState().paste(clip!);
    const doc = currentDocument();
    expect(doc.nodes.map((node) => node.id)).toEqual(["start", "check", "done", "check_2", "done_2"]);
    expect(doc.nodes[3].position).toEqual({ x: 340, y: 40 });
    expect(doc.edges.at(-1)).toMatchObject({ source: "check_2", target: "done_2", branch: "true" });
    expect(useEditor.getState().nodes.filter((node) => node.selected).map((node) => node.id)).toEqual(["check_2", "done_2"]);
    undo();
    expect(currentDocument().nodes).toHaveLength(3);
  });

  it("ignores text that is not copied steps", () => {
    expect(parseClipboard("hello")).toBeNull();
    expect(parseClipboard(JSON.stringify({ nodes: [] }))).toBeNull();
  });
});

describe("renamedBranches", () => {
  it("pairs names by place only when one was edited", () => {
    expect(renamedBranches([{ id: "a" }, { id: "default" }], [{ id: "b" }, { id: "default" }])).toEqual(new Map([["a", "b"]]));
    expect(renamedBranches([{ id: "a" }, { id: "b" }], [{ id: "b" }, { id: "a" }])).toEqual(new Map());
    expect(renamedBranches([{ id: "a" }], [{ id: "a" }, { id: "b" }])).toEqual(new Map());
  });
});
