/**
 * The pure converter between a journey document and the editor's React Flow graph.
 *
 * `toFlow` never throws: what it cannot show is reported per node (or edge) and kept, so that
 * `toDocument(toFlow(doc))` gives back `doc` for every document the designer can open, broken
 * ones included. Annotations become canvas nodes of their own (`annotations`, see notes/annotation.ts).
 * Fields the designer does not edit (retry, on_error, metadata, ...) ride along untouched; positions that the document lacks are laid out and not written back
 * until the node is moved.
 */
import type { Edge, Node } from "@xyflow/react";

import {
  type DocEdge,
  type DocNode,
  type DocumentMeta,
  type Json,
  type JourneyDocument,
  type JsonObject,
  type NodeFields,
  isJsonObject,
} from "../api/document";
import {
  DEFAULT_HANDLE,
  type Registry,
  TARGET_HANDLE,
  branchHandles,
  namesBranches,
} from "../nodes/registry";
import { type AnnotationNode, annotationsToDocument, annotationsToFlow } from "../notes/annotation";

export type { NodeFields };

export interface JourneyNodeData extends Record<string, unknown> {
  /** The DSL node type (the React Flow `type` is always JOURNEY_NODE). */
  nodeType: string;
  fields: NodeFields;
  /** The document had no position: laid out by the designer, not saved until moved. */
  autoPosition?: boolean;
}

export interface JourneyEdgeData extends Record<string, unknown> {
  branch?: string;
  /** The document gave the edge its id (else it is derived and left out when saving). */
  explicitId: boolean;
  /** Edge fields the designer does not know, kept for the round trip. */
  extra?: JsonObject;
}

export type JourneyNode = Node<JourneyNodeData, "journey">;
export type JourneyEdge = Edge<JourneyEdgeData>;

export const JOURNEY_NODE = "journey";

export interface ConversionError {
  nodeId?: string;
  edgeId?: string;
  message: string;
}

export interface FlowGraph {
  meta: DocumentMeta;
  nodes: JourneyNode[];
  edges: JourneyEdge[];
  /** The sticky notes and group frames; undefined when the document has no `annotations`. */
  annotations?: AnnotationNode[];
  errors: ConversionError[];
}

const COLUMN = 300;
const ROW = 150;

export function toFlow(input: unknown, registry: Registry): FlowGraph {
  const errors: ConversionError[] = [];
  if (!isJsonObject(input)) {
    return { meta: { key: "", name: "" }, nodes: [], edges: [], errors: [{ message: "The document is not a JSON object" }] };
  }
  const { nodes: rawNodes, edges: rawEdges, annotations: rawAnnotations, ...rest } = input;
  const meta = rest as DocumentMeta;
  const nodes: JourneyNode[] = [];
  const seen = new Set<string>();
  for (const [index, raw] of asList(rawNodes, "nodes", errors).entries()) {
    if (!isJsonObject(raw) || typeof raw.id !== "string" || raw.id === "") {
      errors.push({ message: `Node #${index + 1} has no id and cannot be shown` });
      continue;
    }
    const { id, type, position, ...fields } = raw;
    if (seen.has(id)) {
      errors.push({ nodeId: id, message: `Node id '${id}' is used twice; the second node is not shown` });
      continue;
    }
    seen.add(id);
    const nodeType = typeof type === "string" ? type : "";
    if (!registry.byType.has(nodeType)) {
      errors.push({ nodeId: id, message: `Node '${id}' has an unknown type '${nodeType}'` });
    }
    const placed = isPosition(position);
    if (position !== undefined && !placed) {
      errors.push({ nodeId: id, message: `Node '${id}' has an invalid position; it was laid out again` });
    }
    nodes.push({
      id,
      type: JOURNEY_NODE,
      position: placed ? { x: position.x, y: position.y } : { x: 0, y: 0 },
      data: { nodeType, fields: fields as NodeFields, ...(placed ? {} : { autoPosition: true }) },
    });
  }

  const edges: JourneyEdge[] = [];
  const edgeIds = new Set<string>();
  const byId = new Map(nodes.map((node) => [node.id, node]));
  for (const [index, raw] of asList(rawEdges, "edges", errors).entries()) {
    if (!isJsonObject(raw) || typeof raw.source !== "string" || typeof raw.target !== "string") {
      errors.push({ message: `Edge #${index + 1} needs a source and a target` });
      continue;
    }
    const { id, source, target, branch, ...extra } = raw;
    const branchName = typeof branch === "string" ? branch : undefined;
    const edgeId = typeof id === "string" && id !== "" ? id : derivedEdgeId(source, target, branchName);
    if (edgeIds.has(edgeId)) {
      errors.push({ edgeId, message: `Edge id '${edgeId}' is used twice; the second edge is not shown` });
      continue;
    }
    edgeIds.add(edgeId);
    const from = byId.get(source);
    if (from === undefined) errors.push({ edgeId, message: `Edge '${edgeId}' starts at unknown node '${source}'` });
    if (!byId.has(target)) errors.push({ edgeId, message: `Edge '${edgeId}' ends at unknown node '${target}'` });
    const sourceHandle = branchName ?? DEFAULT_HANDLE;
    if (from !== undefined) {
      const spec = registry.byType.get(from.data.nodeType);
      const handles = branchHandles(spec, from.data.fields.config).map((handle) => handle.id);
      if (branchName !== undefined && !namesBranches(spec) && spec !== undefined) {
        errors.push({ nodeId: source, edgeId, message: `Edge '${edgeId}' names branch '${branchName}', but '${source}' has no named branches` });
      } else if (!handles.includes(sourceHandle)) {
        const what = branchName === undefined ? "names no branch" : `leaves by unknown branch '${branchName}'`;
        errors.push({ nodeId: source, edgeId, message: `Edge '${edgeId}' ${what} of node '${source}'` });
      }
    }
    edges.push({
      id: edgeId,
      source,
      target,
      sourceHandle,
      targetHandle: TARGET_HANDLE,
      data: {
        explicitId: typeof id === "string" && id !== "",
        ...(branchName !== undefined ? { branch: branchName } : {}),
        ...(Object.keys(extra).length > 0 ? { extra: extra as JsonObject } : {}),
      },
    });
  }
  const graph: FlowGraph = { meta, nodes: layoutMissing(nodes, edges), edges, errors };
  if (rawAnnotations !== undefined) {
    graph.annotations = annotationsToFlow(asList(rawAnnotations, "annotations", errors), (message) => errors.push({ message }));
  }
  return graph;
}

export function toDocument(graph: { meta: DocumentMeta; nodes: JourneyNode[]; edges: JourneyEdge[]; annotations?: AnnotationNode[] }): JourneyDocument {
  const nodes: DocNode[] = graph.nodes.map((node) => {
    const out: DocNode = { id: node.id, type: node.data.nodeType, ...node.data.fields };
    if (!node.data.autoPosition) out.position = { x: Math.round(node.position.x), y: Math.round(node.position.y) };
    return out;
  });
  const edges: DocEdge[] = graph.edges.map((edge) => {
    const data = edge.data ?? { explicitId: true };
    const out: DocEdge = data.explicitId ? { id: edge.id, source: edge.source, target: edge.target } : { source: edge.source, target: edge.target };
    if (data.branch !== undefined) out.branch = data.branch;
    return { ...out, ...(data.extra ?? {}) };
  });
  const doc: JourneyDocument = { ...graph.meta, nodes, edges };
  if (graph.annotations !== undefined) doc.annotations = annotationsToDocument(graph.annotations);
  return doc;
}

export function derivedEdgeId(source: string, target: string, branch?: string): string {
  return branch === undefined ? `${source}-${target}` : `${source}-${branch}-${target}`;
}

/** The branch an edge leaving `handle` names in the document (none for unnamed exits). */
export function branchOfHandle(handle: string | null | undefined, namesBranch: boolean): string | undefined {
  if (!namesBranch || handle === null || handle === undefined) return undefined;
  return handle;
}

function asList(value: Json | undefined, what: string, errors: ConversionError[]): Json[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  errors.push({ message: `'${what}' is not a list` });
  return [];
}

function isPosition(value: Json | undefined): value is { x: number; y: number } {
  return isJsonObject(value) && typeof value.x === "number" && typeof value.y === "number";
}

/**
 * Place the nodes the document left unplaced: in columns by their distance from the nodes
 * without inputs (a quick, synchronous layout; "Tidy up" runs ELK for a real one).
 */
function layoutMissing(nodes: JourneyNode[], edges: JourneyEdge[]): JourneyNode[] {
  if (!nodes.some((node) => node.data.autoPosition)) return nodes;
  const depth = new Map<string, number>();
  const inputs = new Map<string, number>(nodes.map((node) => [node.id, 0]));
  for (const edge of edges) if (inputs.has(edge.target) && edge.source !== edge.target) inputs.set(edge.target, (inputs.get(edge.target) ?? 0) + 1);
  const queue = nodes.filter((node) => inputs.get(node.id) === 0).map((node) => node.id);
  if (queue.length === 0 && nodes.length > 0) queue.push(nodes[0].id);
  for (const id of queue) depth.set(id, 0);
  for (let index = 0; index < queue.length; index++) {
    const id = queue[index];
    for (const edge of edges) {
      if (edge.source === id && !depth.has(edge.target)) {
        depth.set(edge.target, (depth.get(id) ?? 0) + 1);
        queue.push(edge.target);
      }
    }
  }
  const rows = new Map<number, number>();
  return nodes.map((node) => {
    if (!node.data.autoPosition) return node;
    const column = depth.get(node.id) ?? 0;
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    return { ...node, position: { x: column * COLUMN, y: row * ROW } };
  });
}
