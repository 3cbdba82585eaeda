import { beforeEach, describe, expect, it } from "vitest";

import type { JsonObject } from "../api/document";
import nodeTypes from "../api/node-types.json";
import { type NodeTypeSpec, makeRegistry } from "../nodes/registry";
import { beginBatch, currentDocument, endBatch, redo, undo, useEditor } from "../state/editor";
import { flowId, splitChanges } from "./annotation";

const registry = makeRegistry(nodeTypes as unknown as NodeTypeSpec[]);
const start = { id: "start", type: "trigger", config: { kind: "manual" }, position: { x: 0, y: 0 } };

function load(draft: Record<string, unknown>) {
  useEditor.getState().setRegistry(registry);
  useEditor.getState().load({ key: "k", name: "K", status: "draft", revision: 1, published_version: null, issues: [], draft: { key: "k", name: "K", nodes: [start], edges: [], ...draft } as never });
}

const notes = () => currentDocument().annotations as JsonObject[] | undefined;

describe("annotations in the editor store", () => {
  beforeEach(() => load({}));

  it("adds notes under fresh ids, each addition one undo step", () => {
    expect(useEditor.getState().addNote({ x: 10.4, y: 20.6 })).toBe(flowId("note_1"));
    expect(useEditor.getState().addNote({ x: 50, y: 60 })).toBe(flowId("note_2"));
    expect(notes()).toEqual([
      { id: "note_1", kind: "note", text: "", position: { x: 10, y: 21 }, size: { width: 220, height: 140 } },
      { id: "note_2", kind: "note", text: "", position: { x: 50, y: 60 }, size: { width: 220, height: 140 } },
    ]);
    expect(useEditor.getState().annotations?.filter((note) => note.selected).map((note) => note.id)).toEqual([flowId("note_2")]);
    undo();
    expect(notes()?.map((note) => note.id)).toEqual(["note_1"]);
    undo();
    expect(notes()).toBeUndefined(); // the document had no annotations, and has none again
    redo();
    expect(notes()?.map((note) => note.id)).toEqual(["note_1"]);
  });

  it("coalesces typing into one step and keeps the steps' graph untouched", () => {
    const id = useEditor.getState().addNote({ x: 0, y: 0 });
    for (const text of ["H", "He", "Hello"]) useEditor.getState().updateAnnotation(id, { text });
    useEditor.getState().updateAnnotation(id, { color: "pink" });
    expect(notes()?.[0]).toMatchObject({ text: "Hello", color: "pink" });
    expect(currentDocument().nodes).toEqual([start]);
    undo();
    expect(notes()?.[0]).toMatchObject({ text: "Hello" });
    expect(notes()?.[0].color).toBeUndefined();
    undo();
    expect(notes()?.[0].text).toBe("");
  });

  it("moves, resizes and deletes through React Flow's changes, a gesture one step", () => {
    const id = useEditor.getState().addNote({ x: 0, y: 0 });
    const { onAnnotationsChange } = useEditor.getState();
    beginBatch();
    onAnnotationsChange([{ id, type: "position", position: { x: 20, y: 0 }, dragging: true }]);
    onAnnotationsChange([{ id, type: "position", position: { x: 40, y: 20 }, dragging: true }]);
    endBatch();
    beginBatch();
    onAnnotationsChange([{ id, type: "dimensions", dimensions: { width: 300, height: 200 }, resizing: true, setAttributes: true }]);
    endBatch();
    expect(notes()?.[0]).toMatchObject({ position: { x: 40, y: 20 }, size: { width: 300, height: 200 } });
    onAnnotationsChange([{ id, type: "remove" }]);
    expect(notes()).toEqual([]);
    undo();
    expect(notes()?.[0]).toMatchObject({ position: { x: 40, y: 20 }, size: { width: 300, height: 200 } });
    undo();
    expect(notes()?.[0]).toMatchObject({ position: { x: 40, y: 20 }, size: { width: 220, height: 140 } });
    undo();
    expect(notes()?.[0]).toMatchObject({ position: { x: 0, y: 0 } });
  });

  it("routes the canvas's changes to steps or annotations by id", () => {
    const split = splitChanges([
      { id: "start", type: "select", selected: true },
      { id: flowId("start"), type: "select", selected: true },
      { type: "add", item: { id: flowId("x"), position: { x: 0, y: 0 }, data: {} } },
    ]);
    expect(split.steps.map((change) => change.type)).toEqual(["select"]);
    expect(split.annotations.map((change) => change.type)).toEqual(["select", "add"]);
  });

  it("replaces the whole document as one undo step", () => {
    const before = currentDocument();
    const next = { ...before, name: "Renamed", nodes: [{ ...start, name: "Go" }], annotations: [{ id: "n", kind: "note", text: "hi", position: { x: 1, y: 2 } }] };
    expect(useEditor.getState().replaceDocument(next)).toEqual([]);
    expect(currentDocument()).toEqual(next);
    undo();
    expect(currentDocument()).toEqual(before);
    redo();
    expect(currentDocument()).toEqual(next);
  });

  it("refuses a document the canvas cannot draw as it is, changing nothing", () => {
    const before = currentDocument();
    const broken = { ...before, nodes: [start, { type: "end" }, { id: "odd", type: "teleport" }] };
    expect(useEditor.getState().replaceDocument(broken).map((error) => error.message)).toEqual(["Node #2 has no id and cannot be shown", "Node 'odd' has an unknown type 'teleport'"]);
    expect(currentDocument()).toEqual(before);
    expect(useEditor.temporal.getState().pastStates).toHaveLength(0);
  });

  it("frames the selected steps, listing them", () => {
    expect(useEditor.getState().addFrame()).toBeNull();
    useEditor.getState().onNodesChange([
      { id: "start", type: "dimensions", dimensions: { width: 200, height: 60 } },
      { id: "start", type: "select", selected: true },
    ]);
    expect(useEditor.getState().addFrame()).toBe(flowId("group_1"));
    expect(notes()).toEqual([{ id: "group_1", kind: "group", text: "", position: { x: -30, y: -66 }, size: { width: 260, height: 156 }, nodes: ["start"] }]);
    undo();
    expect(notes()).toBeUndefined();
  });
});
