/**
 * Looking at a published version on the canvas, read only, and restoring one into the draft.
 *
 * The version is shown in the editor's own store, so the canvas, the inspector and the node views
 * show it as they show the draft. The draft (its graph, issues and undo history) is put aside
 * while the version is on the canvas and comes back unchanged; the undo history is paused and
 * empty meanwhile, so no gesture can record or undo anything. Restoring brings the draft back and
 * replaces its document with the version's as one undoable step: nothing is saved until the
 * person saves, through the usual save with If-Match.
 */
import { create } from "zustand";

import type { VersionDetail } from "../api/client";
import type { JourneyDocument } from "../api/document";
import { toDocument, toFlow } from "../canvas/convert";
import { type EditorState, useEditor } from "../state/editor";

type DraftPart = Pick<EditorState, "meta" | "nodes" | "edges" | "loadErrors" | "issues" | "validatedJson" | "savedJson">;
type History = Pick<ReturnType<typeof useEditor.temporal.getState>, "pastStates" | "futureStates">;

interface VersionViewState {
  /** The version on the canvas; null while the draft is. */
  viewing: VersionDetail | null;
  /** The draft and its undo history, put aside while a version is on the canvas, and whether it had unsaved changes. */
  stash: { draft: DraftPart; history: History; draftDirty: boolean } | null;
}

export const useVersionView = create<VersionViewState>()(() => ({ viewing: null, stash: null }));

/** Whether a version is on the canvas: nothing may change it. */
export const isViewingVersion = (): boolean => useVersionView.getState().viewing !== null;

function graphOf(document: JourneyDocument) {
  return toFlow(document, useEditor.getState().registry);
}

/** Show `version` on the canvas, read only (the draft is put aside, once, if it is on the canvas). */
export function openVersion(version: VersionDetail): void {
  const temporal = useEditor.temporal;
  if (useVersionView.getState().stash === null) {
    const { meta, nodes, edges, loadErrors, issues, validatedJson, savedJson } = useEditor.getState();
    const { pastStates, futureStates } = temporal.getState();
    const draftDirty = JSON.stringify(toDocument({ meta, nodes, edges })) !== savedJson;
    useVersionView.setState({ stash: { draft: { meta, nodes, edges, loadErrors, issues, validatedJson, savedJson }, history: { pastStates, futureStates }, draftDirty } });
    temporal.getState().pause();
    temporal.setState({ pastStates: [], futureStates: [] });
  }
  const graph = graphOf(version.document);
  useEditor.setState({
    meta: graph.meta,
    nodes: graph.nodes,
    edges: graph.edges,
    loadErrors: graph.errors,
    issues: [],
    validatedJson: null,
    savedJson: JSON.stringify(toDocument(graph)),
  });
  useVersionView.setState({ viewing: version });
}

/** Put the draft back on the canvas as it was, with its undo history. */
export function backToDraft(): void {
  const { stash } = useVersionView.getState();
  if (stash === null) return;
  useEditor.setState(stash.draft);
  useEditor.temporal.setState(stash.history);
  useEditor.temporal.getState().resume();
  useVersionView.setState({ viewing: null, stash: null });
}

/** Back to the draft, whose document becomes the viewed version's: one step to undo, unsaved. */
export function restoreIntoDraft(): number | null {
  const { viewing } = useVersionView.getState();
  if (viewing === null) return null;
  backToDraft();
  const graph = graphOf({ ...viewing.document, key: useEditor.getState().meta.key || viewing.document.key });
  useEditor.setState({ meta: graph.meta, nodes: graph.nodes, edges: graph.edges, loadErrors: graph.errors });
  return viewing.version;
}

/** Forget the version view when the editor closes (the next journey loads its own draft). */
export function leaveVersionView(): void {
  if (useVersionView.getState().stash !== null) useEditor.temporal.getState().resume();
  useVersionView.setState({ viewing: null, stash: null });
}
