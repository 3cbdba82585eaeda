/**
 * Putting a new step onto an existing edge: A -> B becomes A -> new -> B.
 *
 * The first edge keeps what the old one carried (A's branch, unknown fields); the second leaves
 * the new step by its default exit (see `continuationHandle`). A type that cannot sit between
 * two steps (a trigger takes no input, an end has no exit) is added unconnected instead.
 */
import { type NodeTypeSpec, type Registry, TARGET_HANDLE, acceptsInput, branchHandles, namesBranches } from "../nodes/registry";
import { type JourneyEdge, type JourneyNode, branchOfHandle } from "./convert";
import { uniqueId } from "./ids";
import { newNode } from "./newNode";

export interface Graph {
  nodes: JourneyNode[];
  edges: JourneyEdge[];
}

export interface Insertion extends Graph {
  /** The id of the added step (selected, alone). */
  nodeId: string;
  /** Whether the edge was split (false: the step was only added). */
  split: boolean;
}

/** The exit a step continues by when it is put into a line: `default` if it has one, else its first. */
export function continuationHandle(spec: NodeTypeSpec | undefined, config: unknown): string | null {
  const handles = branchHandles(spec, config).map((handle) => handle.id);
  return handles.includes("default") ? "default" : (handles[0] ?? null);
}

/** Whether a new step of this type can be put between two connected steps. */
export function canSplitWith(spec: NodeTypeSpec | undefined, registry: Registry): boolean {
  if (spec === undefined || !acceptsInput(spec)) return false;
  return continuationHandle(spec, newNode(spec.type, registry, new Set(), { x: 0, y: 0 }).data.fields.config) !== null;
}

/** Add a step of `nodeType` at `position`, splitting `edgeId` around it when it fits there. */
export function insertOnEdge(graph: Graph, registry: Registry, edgeId: string | null, nodeType: string, position: { x: number; y: number }): Insertion {
  const node = newNode(nodeType, registry, new Set(graph.nodes.map((other) => other.id)), position);
  const nodes = [...graph.nodes.map((other) => (other.selected ? { ...other, selected: false } : other)), node];
  const edge = graph.edges.find((candidate) => candidate.id === edgeId);
  const spec = registry.byType.get(nodeType);
  const exit = continuationHandle(spec, node.data.fields.config);
  if (edge === undefined || !acceptsInput(spec) || exit === null) {
    return { nodes, edges: graph.edges, nodeId: node.id, split: false };
  }
  const taken = new Set(graph.edges.filter((other) => other.id !== edge.id).map((other) => other.id));
  const branchIn = edge.data?.branch;
  const inId = uniqueId(branchIn === undefined ? `e-${edge.source}-${node.id}` : `e-${edge.source}-${branchIn}-${node.id}`, taken);
  taken.add(inId);
  const branchOut = branchOfHandle(exit, namesBranches(spec));
  const outId = uniqueId(branchOut === undefined ? `e-${node.id}-${edge.target}` : `e-${node.id}-${branchOut}-${edge.target}`, taken);
  const into: JourneyEdge = { ...edge, id: inId, target: node.id, targetHandle: TARGET_HANDLE, selected: false, data: { ...(edge.data ?? {}), explicitId: true } };
  const out: JourneyEdge = {
    id: outId,
    source: node.id,
    target: edge.target,
    sourceHandle: exit,
    targetHandle: edge.targetHandle ?? TARGET_HANDLE,
    data: { explicitId: true, ...(branchOut !== undefined ? { branch: branchOut } : {}) },
  };
  const edges = graph.edges.flatMap((other) => (other.id === edge.id ? [into, out] : [other]));
  return { nodes, edges, nodeId: node.id, split: true };
}
