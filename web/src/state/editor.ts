/**
 * The editor's store: the graph being drawn, its journey, and the validation of it.
 *
 * Changes go through xyflow's helpers (`applyNodeChanges`, ...). zundo keeps the undo history of
 * the document part only (nodes without selection, edges, meta): a drag or a multi-delete is
 * one step (`batch`), and typing into one field makes one step, not one per key (`coalesce`).
 */
import {
  type Connection,
  type EdgeChange,
  type NodeChange,
  applyEdgeChanges,
  applyNodeChanges,
} from "@xyflow/react";
import { temporal } from "zundo";
import { create } from "zustand";

import type { DocumentMeta, Issue, JourneyDocument, JsonObject } from "../api/document";
import type { JourneyDetail } from "../api/client";
import {
  type ConversionError,
  type JourneyEdge,
  type JourneyNode,
  type NodeFields,
  branchOfHandle,
  toDocument,
  toFlow,
} from "../canvas/convert";
import { uniqueId } from "../canvas/ids";
import { newNode } from "../canvas/newNode";
import {
  type Registry,
  TARGET_HANDLE,
  allowsManyEdges,
  branchHandles,
  makeRegistry,
  namesBranches,
} from "../nodes/registry";
import { type AnnotationData, type AnnotationNode, newFrame, newNote, patchAnnotation } from "../notes/annotation";

export interface JourneyInfo {
  key: string;
  status: string;
  publishedVersion: number | null;
}

export interface EditorState {
  registry: Registry;
  /** The JSON Schema of a document (`GET /schema`): node envelopes and settings; null if unknown. */
  documentSchema: JsonObject | null;
  journey: JourneyInfo | null;
  revision: number | null;
  meta: DocumentMeta;
  nodes: JourneyNode[];
  edges: JourneyEdge[];
  /** Sticky notes and group frames; undefined while the document has no `annotations`. */
  annotations: AnnotationNode[] | undefined;
  loadErrors: ConversionError[];
  issues: Issue[];
  /** The document JSON the issues belong to (null: not validated yet). */
  validatedJson: string | null;
  savedJson: string;

  setRegistry: (registry: Registry) => void;
  setDocumentSchema: (schema: JsonObject | null) => void;
  load: (detail: JourneyDetail) => void;
  markSaved: (detail: Pick<JourneyDetail, "revision" | "status" | "published_version">, json: string) => void;
  setJourneyInfo: (info: Partial<JourneyInfo>) => void;
  setIssues: (issues: Issue[], json: string) => void;
  onNodesChange: (changes: NodeChange<JourneyNode>[]) => void;
  onEdgesChange: (changes: EdgeChange<JourneyEdge>[]) => void;
  onConnect: (connection: Connection) => void;
  /**
   * Point a step's branch at `target` (null: leave it unconnected), replacing the edge the branch
   * had: the inspector's click alternative to dragging a connection. One undo step; an invalid
   * target changes nothing. A branch that takes many edges (a parallel fork) only gains one.
   */
  connectBranch: (source: string, handle: string, target: string | null) => void;
  /** Remove one edge (the inspector's way to drop a fork's branch). */
  removeEdge: (edgeId: string) => void;
  addNode: (nodeType: string, position: { x: number; y: number }) => string;
  updateConfig: (id: string, config: JsonObject) => void;
  updateFields: (id: string, fields: Partial<NodeFields>) => void;
  renameNode: (id: string, newId: string) => string | null;
  updateMeta: (meta: Partial<DocumentMeta>) => void;
  select: (id: string | null) => void;
  deleteSelected: () => void;
  setPositions: (positions: Map<string, { x: number; y: number }>) => void;
  /** Add copied steps (and the edges between them) under fresh ids; they become the selection. */
  paste: (clip: Clipboard) => void;
  onAnnotationsChange: (changes: NodeChange<AnnotationNode>[]) => void;
  addNote: (position: { x: number; y: number }) => string;
  /** A labelled frame around the selected steps (none selected: nothing happens). */
  addFrame: () => string | null;
  updateAnnotation: (flowId: string, patch: Partial<Pick<AnnotationData, "text" | "color">>) => void;
  /**
   * Put a whole document (the JSON view) in place of the drawing, as one undo step; a document
   * the canvas cannot draw as it is changes nothing, and its problems are returned.
   */
  replaceDocument: (doc: unknown) => ConversionError[];
}

/** What Ctrl+C puts on the clipboard: document nodes and the edges among them. */
export interface Clipboard {
  journeyClipboard: 1;
  nodes: JourneyDocument["nodes"];
  edges: JourneyDocument["edges"];
}

export const CLIPBOARD_MIME = "application/x-journey-steps+json";

/** A copy of the selected steps (and the edges among them) beside them: one undo step. */
export function duplicateSelection(): void {
  const clip = copySelection(useEditor.getState());
  if (clip !== null) useEditor.getState().paste(clip);
}

/** The selected steps and the edges that run between two of them, as clipboard content. */
export function copySelection(state: Pick<EditorState, "meta" | "nodes" | "edges">): Clipboard | null {
  const chosen = new Set(state.nodes.filter((node) => node.selected).map((node) => node.id));
  if (chosen.size === 0) return null;
  const doc = toDocument({
    meta: state.meta,
    nodes: state.nodes.filter((node) => chosen.has(node.id)).map((node) => ({ ...node, data: { ...node.data, autoPosition: undefined } })),
    edges: state.edges.filter((edge) => chosen.has(edge.source) && chosen.has(edge.target)),
  });
  return { journeyClipboard: 1, nodes: doc.nodes, edges: doc.edges };
}

export function parseClipboard(text: string): Clipboard | null {
  try {
    const value = JSON.parse(text) as Partial<Clipboard>;
    return value.journeyClipboard === 1 && Array.isArray(value.nodes) && Array.isArray(value.edges) ? (value as Clipboard) : null;
  } catch {
    return null;
  }
}

type Tracked = Pick<EditorState, "nodes" | "edges" | "meta" | "annotations">;

// ---- undo history: batches and coalesced edits -------------------------------------------

type HandleSet = (past: Partial<Tracked>, replace: undefined, current: Tracked, delta: null) => void;
let record: HandleSet | null = null;
let batchDepth = 0;
let batchPast: Tracked | null = null;
let pendingKey: string | null = null;
let lastKey: string | null = null;
let lastAt = 0;
const COALESCE_MS = 1200;

function partialize(state: EditorState): Tracked {
  return {
    nodes: state.nodes.map(({ selected: _selected, dragging: _dragging, ...node }) => node),
    edges: state.edges.map(({ selected: _selected, ...edge }) => edge),
    meta: state.meta,
    annotations: state.annotations?.map(({ selected: _selected, dragging: _dragging, resizing: _resizing, ...node }) => node),
  };
}

function signature(state: Partial<Tracked>): string {
  return JSON.stringify([
    state.nodes?.map((node) => [node.id, node.position, node.data]),
    state.edges?.map((edge) => [edge.id, edge.source, edge.target, edge.sourceHandle, edge.data]),
    state.meta,
    state.annotations?.map((node) => [node.id, node.position, node.width, node.height, node.data]),
  ]);
}

/**
 * Whether nothing undoable changed, told from references alone: the store replaces a node's
 * `position` or `data` when it changes them, and keeps both when React Flow only measures or
 * selects a node. So a canvas of 300 steps measuring itself costs no serialisation; anything
 * else falls back to comparing `signature`s.
 */
function unchangedByReference(past: Partial<Tracked>, current: Partial<Tracked>): boolean {
  return (
    past.meta === current.meta &&
    sameItems(past.nodes, current.nodes, (a, b) => a.id === b.id && a.position === b.position && a.data === b.data) &&
    sameItems(past.edges, current.edges, (a, b) => a.id === b.id && a.source === b.source && a.target === b.target && a.sourceHandle === b.sourceHandle && a.data === b.data) &&
    sameItems(past.annotations, current.annotations, (a, b) => a.id === b.id && a.position === b.position && a.width === b.width && a.height === b.height && a.data === b.data)
  );
}

function sameItems<T>(past: T[] | undefined, current: T[] | undefined, same: (a: T, b: T) => boolean): boolean {
  if (past === undefined || current === undefined) return past === current;
  return past.length === current.length && past.every((item, index) => same(item, current[index]));
}

/** Group the changes made until `endBatch` into one undo step (a drag, a delete). */
export function beginBatch(): void {
  batchDepth += 1;
}

export function endBatch(): void {
  batchDepth = Math.max(0, batchDepth - 1);
  if (batchDepth > 0 || batchPast === null) return;
  const past = batchPast;
  batchPast = null;
  const current = partialize(useEditor.getState());
  if (record !== null && signature(past) !== signature(current)) record(past, undefined, current, null);
  lastKey = null;
}

export function undo(): void {
  lastKey = null;
  useEditor.temporal.getState().undo();
}

export function redo(): void {
  lastKey = null;
  useEditor.temporal.getState().redo();
}

// ---- the store ------------------------------------------------------------------------------

export function currentDocument(state: Pick<EditorState, "meta" | "nodes" | "edges" | "annotations"> = useEditor.getState()): JourneyDocument {
  return toDocument(state);
}

export const NODE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const useEditor = create<EditorState>()(
  temporal(
    (set, get) => ({
      registry: makeRegistry([]),
      documentSchema: null,
      journey: null,
      revision: null,
      meta: { key: "", name: "" },
      nodes: [],
      edges: [],
      annotations: undefined,
      loadErrors: [],
      issues: [],
      validatedJson: null,
      savedJson: "",

      setRegistry: (registry) => set({ registry }),
      setDocumentSchema: (documentSchema) => set({ documentSchema }),

      load: (detail) => {
        const graph = toFlow(detail.draft, get().registry);
        set({
          journey: { key: detail.key, status: detail.status, publishedVersion: detail.published_version },
          revision: detail.revision,
          meta: graph.meta,
          nodes: graph.nodes,
          edges: graph.edges,
          annotations: graph.annotations,
          loadErrors: graph.errors,
          issues: detail.issues ?? [],
          validatedJson: null,
          savedJson: JSON.stringify(toDocument(graph)),
        });
        useEditor.temporal.getState().clear();
      },

      markSaved: (detail, json) =>
        set((state) => ({
          revision: detail.revision,
          savedJson: json,
          journey: state.journey && { ...state.journey, status: detail.status ?? state.journey.status, publishedVersion: detail.published_version ?? state.journey.publishedVersion },
        })),

      setJourneyInfo: (info) => set((state) => ({ journey: state.journey && { ...state.journey, ...info } })),

      setIssues: (issues, json) => set({ issues, validatedJson: json }),

      onNodesChange: (changes) => {
        const moved = new Set(changes.filter((change) => change.type === "position" && change.dragging).map((change) => (change as { id: string }).id));
        let nodes = applyNodeChanges(changes, get().nodes);
        if (moved.size > 0) {
          nodes = nodes.map((node) => (moved.has(node.id) && node.data.autoPosition ? { ...node, data: { ...node.data, autoPosition: undefined } } : node));
        }
        const removed = new Set(changes.filter((change) => change.type === "remove").map((change) => change.id));
        const edges = removed.size > 0 ? get().edges.filter((edge) => !removed.has(edge.source) && !removed.has(edge.target)) : get().edges;
        set({ nodes, edges });
      },

      onEdgesChange: (changes) => set({ edges: applyEdgeChanges(changes, get().edges) }),

      onConnect: (connection) => {
        const { edges } = get();
        const edge = connectionEdge(connection, get());
        if (edge !== null) set({ edges: [...edges, edge] });
      },

      connectBranch: (source, handle, target) => {
        const { nodes, edges, registry } = get();
        const from = nodes.find((node) => node.id === source);
        if (from === undefined) return;
        const many = allowsManyEdges(registry.byType.get(from.data.nodeType));
        const kept = many ? edges : edges.filter((edge) => !(edge.source === source && edge.sourceHandle === handle));
        if (target === null) {
          set({ edges: kept });
          return;
        }
        const edge = connectionEdge({ source, target, sourceHandle: handle }, { nodes, edges: kept, registry });
        if (edge !== null) set({ edges: [...kept, edge] });
      },

      removeEdge: (edgeId) => set({ edges: get().edges.filter((edge) => edge.id !== edgeId) }),

      addNode: (nodeType, position) => {
        const { nodes, registry } = get();
        const node = newNode(nodeType, registry, new Set(nodes.map((other) => other.id)), position);
        set({ nodes: [...nodes.map((other) => (other.selected ? { ...other, selected: false } : other)), node] });
        return node.id;
      },

      updateConfig: (id, config) => {
        const { nodes, edges, registry } = get();
        const node = nodes.find((candidate) => candidate.id === id);
        if (node === undefined) return;
        const spec = registry.byType.get(node.data.nodeType);
        const renamed = renamedBranches(branchHandles(spec, node.data.fields.config), branchHandles(spec, config));
        pendingKey = `config:${id}`;
        set({
          nodes: nodes.map((candidate) => (candidate.id === id ? { ...candidate, data: { ...candidate.data, fields: withConfig(candidate.data.fields, config) } } : candidate)),
          edges:
            renamed.size === 0
              ? edges
              : edges.map((edge) => {
                  const to = edge.source === id && edge.sourceHandle ? renamed.get(edge.sourceHandle) : undefined;
                  return to === undefined ? edge : { ...edge, sourceHandle: to, data: { ...(edge.data ?? { explicitId: true }), branch: to } };
                }),
        });
        pendingKey = null;
      },

      updateFields: (id, fields) => {
        pendingKey = `fields:${id}:${Object.keys(fields).join(",")}`;
        set({
          nodes: get().nodes.map((node) => {
            if (node.id !== id) return node;
            const merged: NodeFields = { ...node.data.fields };
            for (const [name, value] of Object.entries(fields)) {
              if (value === undefined || value === "") delete merged[name];
              else merged[name] = value;
            }
            return { ...node, data: { ...node.data, fields: merged } };
          }),
        });
        pendingKey = null;
      },

      renameNode: (id, newId) => {
        const { nodes, edges } = get();
        if (newId === id) return null;
        if (!NODE_ID.test(newId)) return "Use 1 to 64 letters, digits, _ or -";
        if (nodes.some((node) => node.id === newId)) return `'${newId}' is taken`;
        set({
          nodes: nodes.map((node) => (node.id === id ? { ...node, id: newId } : node)),
          edges: edges.map((edge) => ({ ...edge, source: edge.source === id ? newId : edge.source, target: edge.target === id ? newId : edge.target })),
        });
        return null;
      },

      updateMeta: (meta) => {
        pendingKey = `meta:${Object.keys(meta).join(",")}`;
        const merged = { ...get().meta, ...meta };
        for (const [name, value] of Object.entries(meta)) if (value === undefined || value === "") delete merged[name];
        set({ meta: merged as DocumentMeta });
        pendingKey = null;
      },

      select: (id) =>
        set({
          nodes: get().nodes.map((node) => (node.selected === (node.id === id) ? node : { ...node, selected: node.id === id })),
          edges: get().edges.map((edge) => (edge.selected ? { ...edge, selected: false } : edge)),
        }),

      deleteSelected: () => {
        const { nodes, edges } = get();
        const gone = new Set(nodes.filter((node) => node.selected).map((node) => node.id));
        set({
          nodes: nodes.filter((node) => !gone.has(node.id)),
          edges: edges.filter((edge) => !edge.selected && !gone.has(edge.source) && !gone.has(edge.target)),
        });
      },

      paste: (clip) => {
        const { nodes, edges, registry } = get();
        const taken = new Set(nodes.map((node) => node.id));
        const renamed = new Map<string, string>();
        for (const node of clip.nodes) {
          const id = uniqueId(node.id, taken);
          taken.add(id);
          renamed.set(node.id, id);
        }
        const offset = 40;
        const graph = toFlow(
          {
            ...get().meta,
            nodes: clip.nodes.map((node) => ({ ...node, id: renamed.get(node.id), position: node.position && { x: node.position.x + offset, y: node.position.y + offset } })),
            edges: clip.edges
              .filter((edge) => renamed.has(edge.source) && renamed.has(edge.target))
              .map(({ id: _id, ...edge }) => ({ ...edge, source: renamed.get(edge.source), target: renamed.get(edge.target) })),
          },
          registry,
        );
        const edgeIds = new Set(edges.map((edge) => edge.id));
        const pastedEdges = graph.edges.map((edge) => {
          const id = uniqueId(`e-${edge.id}`, edgeIds);
          edgeIds.add(id);
          return { ...edge, id, data: { ...(edge.data ?? {}), explicitId: true } };
        });
        set({
          nodes: [...nodes.map((node) => (node.selected ? { ...node, selected: false } : node)), ...graph.nodes.map((node) => ({ ...node, selected: true }))],
          edges: [...edges, ...pastedEdges],
        });
      },

      onAnnotationsChange: (changes) => {
        const annotations = get().annotations;
        if (annotations !== undefined) set({ annotations: applyNodeChanges(changes, annotations) });
      },

      addNote: (position) => {
        const annotations = get().annotations ?? [];
        const note = newNote(annotations, position);
        set({
          nodes: get().nodes.map((node) => (node.selected ? { ...node, selected: false } : node)),
          annotations: [...annotations.map((other) => (other.selected ? { ...other, selected: false } : other)), note],
        });
        return note.id;
      },

      addFrame: () => {
        const chosen = get().nodes.filter((node) => node.selected);
        if (chosen.length === 0) return null;
        const annotations = get().annotations ?? [];
        const frame = newFrame(annotations, chosen);
        set({ annotations: [...annotations, frame] });
        return frame.id;
      },

      updateAnnotation: (flowId, patch) => {
        pendingKey = `annotation:${flowId}:${Object.keys(patch).join(",")}`;
        set({ annotations: get().annotations?.map((node) => (node.id === flowId ? patchAnnotation(node, patch) : node)) });
        pendingKey = null;
      },

      replaceDocument: (doc) => {
        const graph = toFlow(doc, get().registry);
        if (graph.errors.length === 0) set({ meta: graph.meta, nodes: graph.nodes, edges: graph.edges, annotations: graph.annotations, loadErrors: [] });
        return graph.errors;
      },

      setPositions: (positions) =>
        set({
          nodes: get().nodes.map((node) => {
            const position = positions.get(node.id);
            return position ? { ...node, position, data: { ...node.data, autoPosition: undefined } } : node;
          }),
        }),
    }),
    {
      partialize,
      limit: 200,
      equality: (past, current) => unchangedByReference(past, current) || signature(past) === signature(current),
      handleSet: (handleSet) => {
        record = handleSet as unknown as HandleSet;
        return (past, _replace, current) => {
          if (batchDepth > 0) {
            if (batchPast === null) batchPast = past as Tracked;
            return;
          }
          const key = pendingKey;
          const now = Date.now();
          if (key !== null && key === lastKey && now - lastAt < COALESCE_MS) {
            lastAt = now;
            return;
          }
          lastKey = key;
          lastAt = now;
          record?.(past as Tracked, undefined, current, null);
        };
      },
    },
  ),
);

/**
 * Branches renamed in place (a switch case whose id is edited): same count, changed names at
 * the same places. Their edges follow the new names instead of dangling.
 */
export function renamedBranches(before: { id: string }[], after: { id: string }[]): Map<string, string> {
  const renamed = new Map<string, string>();
  if (before.length !== after.length) return renamed;
  const kept = new Set(after.map((handle) => handle.id));
  before.forEach((handle, index) => {
    const next = after[index].id;
    if (handle.id !== next && !kept.has(handle.id)) renamed.set(handle.id, next);
  });
  return renamed;
}

function withConfig(fields: NodeFields, config: JsonObject): NodeFields {
  return { ...fields, config };
}

/**
 * The connection rules: no loops onto the node itself, nothing into a trigger, each branch
 * handle carries one edge (nodes whose every edge is a branch excepted), one edge per pair.
 */
/** The edge a connection makes, with an id of its own; null when the connection is not allowed. */
function connectionEdge(
  connection: { source: string | null; target: string | null; sourceHandle?: string | null },
  state: Pick<EditorState, "nodes" | "edges" | "registry">,
): JourneyEdge | null {
  const { source, target, sourceHandle = null } = connection;
  const from = state.nodes.find((node) => node.id === source);
  if (from === undefined || source === null || target === null || !isValidConnection(connection, state)) return null;
  const branch = branchOfHandle(sourceHandle, namesBranches(state.registry.byType.get(from.data.nodeType)));
  const base = branch === undefined ? `e-${source}-${target}` : `e-${source}-${branch}-${target}`;
  return {
    id: uniqueId(base, new Set(state.edges.map((edge) => edge.id))),
    source,
    target,
    sourceHandle,
    targetHandle: TARGET_HANDLE,
    data: { explicitId: true, ...(branch !== undefined ? { branch } : {}) },
  };
}

export function isValidConnection(
  connection: { source: string | null; target: string | null; sourceHandle?: string | null },
  state: Pick<EditorState, "nodes" | "edges" | "registry">,
): boolean {
  const { source, target, sourceHandle } = connection;
  if (!source || !target || source === target) return false;
  const from = state.nodes.find((node) => node.id === source);
  const to = state.nodes.find((node) => node.id === target);
  if (from === undefined || to === undefined) return false;
  const toSpec = state.registry.byType.get(to.data.nodeType);
  if (toSpec?.category === "trigger") return false;
  const spec = state.registry.byType.get(from.data.nodeType);
  const handles = branchHandles(spec, from.data.fields.config).map((handle) => handle.id);
  if (sourceHandle && !handles.includes(sourceHandle)) return false;
  const leaving = state.edges.filter((edge) => edge.source === source && edge.sourceHandle === (sourceHandle ?? edge.sourceHandle));
  if (allowsManyEdges(spec)) return !leaving.some((edge) => edge.target === target);
  return leaving.length === 0;
}
