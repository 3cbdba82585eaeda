/**
 * Annotations (sticky notes and labelled group frames, docs/dsl.md#annotations) as React Flow
 * nodes. They live beside the journey's steps, never among them: the engine, validation, the
 * connection rules and the layout ignore them.
 *
 * A flow id is the annotation id behind a prefix with a colon, which no step id can contain,
 * so a note and a step may share an id in the document without clashing on the canvas.
 */
import type { Node, NodeChange } from "@xyflow/react";

import { type Json, type JsonObject, isJsonObject } from "../api/document";

/** The React Flow node types (not "group": React Flow has a built-in type of that name). */
export const NOTE_NODE = "note";
export const FRAME_NODE = "frame";
const PREFIX = "annotation:";

export interface AnnotationData extends Record<string, unknown> {
  /** `note` or `group`; anything else is kept and drawn as a note (validation reports it). */
  kind?: string;
  text?: string;
  color?: string;
  /** Groups: the step ids framed. */
  nodes?: Json[];
  /** Fields the designer does not know, kept for the round trip. */
  extra?: JsonObject;
}

export type AnnotationNode = Node<AnnotationData, typeof NOTE_NODE | typeof FRAME_NODE>;

/** The colours offered by the picker; a note without one is yellow. */
export const NOTE_COLOURS: { name: string; css: string }[] = [
  { name: "yellow", css: "#fef3c7" },
  { name: "green", css: "#dcfce7" },
  { name: "blue", css: "#dbeafe" },
  { name: "pink", css: "#fce7f3" },
  { name: "purple", css: "#ede9fe" },
  { name: "grey", css: "#f1f5f9" },
];

/**
 * Below the steps even when selected (React Flow lifts a selected node by 1000), and frames
 * below notes.
 */
const NOTE_Z = -1000;
const FRAME_Z = -2000;

export const NEW_NOTE_SIZE = { width: 220, height: 140 };

export function flowId(annotationId: string): string {
  return PREFIX + annotationId;
}

export function annotationId(flowNodeId: string): string {
  return flowNodeId.startsWith(PREFIX) ? flowNodeId.slice(PREFIX.length) : flowNodeId;
}

export function isAnnotationId(flowNodeId: string): boolean {
  return flowNodeId.startsWith(PREFIX);
}

export function colourOf(color: string | undefined): string {
  return NOTE_COLOURS.find((colour) => colour.name === color)?.css ?? NOTE_COLOURS[0].css;
}

/**
 * The annotations of a document as canvas nodes, behind the steps (groups behind notes).
 * Entries that cannot be drawn are reported through `report` and left out.
 */
export function annotationsToFlow(raw: Json[], report: (message: string) => void): AnnotationNode[] {
  const out: AnnotationNode[] = [];
  const seen = new Set<string>();
  for (const [index, entry] of raw.entries()) {
    if (!isJsonObject(entry) || typeof entry.id !== "string" || entry.id === "") {
      report(`Annotation #${index + 1} has no id and cannot be shown`);
      continue;
    }
    const { id, position, size, ...rest } = entry;
    if (seen.has(id)) {
      report(`Annotation id '${id}' is used twice; the second one is not shown`);
      continue;
    }
    if (!isJsonObject(position) || typeof position.x !== "number" || typeof position.y !== "number") {
      report(`Annotation '${id}' has no valid position and cannot be shown`);
      continue;
    }
    seen.add(id);
    // Well-typed fields become editable data; anything else rides along untouched in `extra`.
    const extra: JsonObject = { ...rest };
    const data: AnnotationData = {};
    for (const field of ["kind", "text", "color"] as const) {
      const value = extra[field];
      if (typeof value === "string") {
        data[field] = value;
        delete extra[field];
      }
    }
    if (Array.isArray(extra.nodes)) {
      data.nodes = extra.nodes;
      delete extra.nodes;
    }
    const group = data.kind === "group";
    const node: AnnotationNode = {
      id: flowId(id),
      type: group ? FRAME_NODE : NOTE_NODE,
      position: { x: position.x, y: position.y },
      zIndex: group ? FRAME_Z : NOTE_Z,
      connectable: false,
      data,
    };
    if (isJsonObject(size) && typeof size.width === "number" && typeof size.height === "number") {
      node.width = size.width;
      node.height = size.height;
    } else if (size !== undefined) {
      report(`Annotation '${id}' has an invalid size; it is drawn at the default size`);
      extra.size = size;
    }
    if (Object.keys(extra).length > 0) data.extra = extra;
    out.push(node);
  }
  return out;
}

/** The canvas annotations back as document entries (positions and sizes in whole pixels). */
export function annotationsToDocument(nodes: AnnotationNode[]): JsonObject[] {
  return nodes.map((node) => {
    const { kind, text, color, nodes: framed, extra } = node.data;
    const out: JsonObject = { id: annotationId(node.id) };
    if (kind !== undefined) out.kind = kind;
    if (text !== undefined) out.text = text;
    out.position = { x: Math.round(node.position.x), y: Math.round(node.position.y) };
    if (node.width !== undefined && node.height !== undefined) out.size = { width: Math.round(node.width), height: Math.round(node.height) };
    if (framed !== undefined) out.nodes = framed;
    if (color !== undefined) out.color = color;
    return { ...out, ...(extra ?? {}) };
  });
}

function freshId(existing: AnnotationNode[], stem: string): string {
  const taken = new Set(existing.map((node) => annotationId(node.id)));
  let n = 1;
  while (taken.has(`${stem}_${n}`)) n++;
  return flowId(`${stem}_${n}`);
}

/** A new empty sticky note at `position`, under an id none of `existing` uses. */
export function newNote(existing: AnnotationNode[], position: { x: number; y: number }): AnnotationNode {
  return {
    id: freshId(existing, "note"),
    type: NOTE_NODE,
    position: { x: Math.round(position.x), y: Math.round(position.y) },
    ...NEW_NOTE_SIZE,
    zIndex: NOTE_Z,
    connectable: false,
    selected: true,
    data: { kind: "note", text: "" },
  };
}

/** `node` with `patch` applied to its data; a patched field no longer rides along in `extra`. */
export function patchAnnotation(node: AnnotationNode, patch: Partial<Pick<AnnotationData, "text" | "color">>): AnnotationNode {
  const data: AnnotationData = { ...node.data, ...patch };
  if (data.extra !== undefined) {
    const extra = { ...data.extra };
    for (const field of Object.keys(patch)) delete extra[field];
    if (Object.keys(extra).length > 0) data.extra = extra;
    else delete data.extra;
  }
  return { ...node, data };
}

/** Split the canvas's node changes into those of the steps and those of the annotations. */
export function splitChanges<Step extends Node>(changes: NodeChange<Step | AnnotationNode>[]): { steps: NodeChange<Step>[]; annotations: NodeChange<AnnotationNode>[] } {
  const steps: NodeChange<Step>[] = [];
  const annotations: NodeChange<AnnotationNode>[] = [];
  for (const change of changes) {
    const id = "id" in change ? change.id : change.item.id;
    if (isAnnotationId(id)) annotations.push(change as NodeChange<AnnotationNode>);
    else steps.push(change as NodeChange<Step>);
  }
  return { steps, annotations };
}

const FRAME_PADDING = 30;
const FRAME_HEAD = 36;

/** A new group frame around `steps` (their drawn boxes), listing their ids. */
export function newFrame(existing: AnnotationNode[], steps: Node[]): AnnotationNode {
  const boxes = steps.map((step) => ({ x: step.position.x, y: step.position.y, width: step.measured?.width ?? step.width ?? 0, height: step.measured?.height ?? step.height ?? 0 }));
  const left = Math.min(...boxes.map((box) => box.x)) - FRAME_PADDING;
  const top = Math.min(...boxes.map((box) => box.y)) - FRAME_PADDING - FRAME_HEAD;
  const right = Math.max(...boxes.map((box) => box.x + box.width)) + FRAME_PADDING;
  const bottom = Math.max(...boxes.map((box) => box.y + box.height)) + FRAME_PADDING;
  return {
    id: freshId(existing, "group"),
    type: FRAME_NODE,
    position: { x: Math.round(left), y: Math.round(top) },
    width: Math.round(right - left),
    height: Math.round(bottom - top),
    zIndex: FRAME_Z,
    connectable: false,
    data: { kind: "group", text: "", nodes: steps.map((step) => step.id) },
  };
}
