import { beforeEach, describe, expect, it } from "vitest";

import nodeTypes from "../api/node-types.json";
import type { VersionDetail } from "../api/client";
import { type NodeTypeSpec, makeRegistry } from "../nodes/registry";
import { currentDocument, undo, useEditor } from "../state/editor";
import { backToDraft, isViewingVersion, leaveVersionView, openVersion, restoreIntoDraft, useVersionView } from "./viewing";

const registry = makeRegistry(nodeTypes as unknown as NodeTypeSpec[]);
const START = { id: "start", type: "trigger", config: { kind: "manual" }, position: { x: 0, y: 0 } };

function version(number: number, name: string, nodes: unknown[]): VersionDetail {
  return { version: number, message: `v${number}`, author: null, created_at: "2026-11-29T12:00:00Z", document: { key: "k", name, nodes, edges: [] } as never };
}

const V1 = version(1, "First", [START, { id: "done", type: "end", position: { x: 300, y: 0 } }]);
const nodeIds = () => currentDocument().nodes.map((node) => node.id);
const canUndo = () => useEditor.temporal.getState().pastStates.length > 0;

describe("viewing a published version", () => {
  beforeEach(() => {
    leaveVersionView();
    useEditor.getState().setRegistry(registry);
    useEditor.getState().load({ key: "k", name: "Draft", status: "active", revision: 4, published_version: 1, issues: [], draft: { key: "k", name: "Draft", nodes: [START], edges: [] } as never });
    useEditor.getState().addNode("log", { x: 300, y: 200 });
  });

  it("shows the version on the canvas, not dirty, with no undo history", () => {
    openVersion(V1);
    expect(useVersionView.getState().stash?.draftDirty).toBe(true);
    expect(isViewingVersion()).toBe(true);
    expect(useEditor.getState().meta.name).toBe("First");
    expect(nodeIds()).toEqual(["start", "done"]);
    expect(JSON.stringify(currentDocument())).toBe(useEditor.getState().savedJson);
    expect(canUndo()).toBe(false);
  });

  it("records nothing while the version is shown", () => {
    openVersion(V1);
    useEditor.getState().addNode("end", { x: 0, y: 400 });
    expect(canUndo()).toBe(false);
  });

  it("gives the draft back unchanged, unsaved edits and undo history included", () => {
    const before = JSON.stringify(currentDocument());
    const savedJson = useEditor.getState().savedJson;
    openVersion(V1);
    openVersion(version(2, "Second", [START]));
    backToDraft();
    expect(isViewingVersion()).toBe(false);
    expect(JSON.stringify(currentDocument())).toBe(before);
    expect(useEditor.getState().savedJson).toBe(savedJson);
    undo();
    expect(nodeIds()).toEqual(["start"]);
  });

  it("restores a version into the draft as one undoable, unsaved step", () => {
    const draft = JSON.stringify(currentDocument());
    openVersion(V1);
    expect(restoreIntoDraft()).toBe(1);
    expect(isViewingVersion()).toBe(false);
    expect(nodeIds()).toEqual(["start", "done"]);
    expect(useEditor.getState().meta.name).toBe("First");
    expect(JSON.stringify(currentDocument())).not.toBe(useEditor.getState().savedJson);
    expect(useEditor.getState().revision).toBe(4);
    undo();
    expect(JSON.stringify(currentDocument())).toBe(draft);
  });

  it("tracks changes again after leaving the editor mid-view", () => {
    openVersion(V1);
    leaveVersionView();
    expect(isViewingVersion()).toBe(false);
    useEditor.getState().addNode("end", { x: 0, y: 400 });
    expect(canUndo()).toBe(true);
  });
});
