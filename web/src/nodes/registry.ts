/**
 * The node registry as served by `GET /api/v1/node-types`: the one source of node types.
 *
 * Palette entries, node renderers, handles, connection rules and forms are all derived from
 * these records; no node type is named anywhere in the designer's code.
 */
import type { JsonObject } from "../api/document";

export type BranchKind = "none" | "single" | "fixed" | "derived" | "any";

export interface BranchSpec {
  kind: BranchKind;
  names?: string[];
  /** For `derived`: where the names come from, e.g. `cases[].id`. */
  from?: string;
}

export interface NodeTypeSpec {
  type: string;
  category: string;
  title: string;
  description: string;
  icon: string;
  side_effects: boolean;
  config_schema: JsonObject;
  branches: BranchSpec;
}

export interface Registry {
  types: NodeTypeSpec[];
  byType: Map<string, NodeTypeSpec>;
}

/** The handle id of the one exit of `single` and `any` nodes (their edges name no branch). */
export const DEFAULT_HANDLE = "out";
export const TARGET_HANDLE = "in";

export function makeRegistry(types: NodeTypeSpec[]): Registry {
  return { types, byType: new Map(types.map((spec) => [spec.type, spec])) };
}

export interface BranchHandle {
  /** The React Flow handle id: the branch name, or DEFAULT_HANDLE. */
  id: string;
  /** The label shown next to the handle; null for an unnamed exit. */
  label: string | null;
}

/** The outgoing handles of a node of `spec` with `config`, in display order. */
export function branchHandles(spec: NodeTypeSpec | undefined, config: unknown): BranchHandle[] {
  if (spec === undefined) return [{ id: DEFAULT_HANDLE, label: null }];
  const { kind, names = [] } = spec.branches;
  switch (kind) {
    case "none":
      return [];
    case "single":
    case "any":
      return [{ id: DEFAULT_HANDLE, label: null }];
    case "fixed":
      return names.map((name) => ({ id: name, label: name }));
    case "derived":
      return [...derivedNames(spec.branches.from, config), ...names].map((name) => ({ id: name, label: name }));
  }
}

/** Whether edges from this node name a branch (`fixed`, `derived`) or not (`single`, `any`). */
export function namesBranches(spec: NodeTypeSpec | undefined): boolean {
  return spec !== undefined && (spec.branches.kind === "fixed" || spec.branches.kind === "derived");
}

/** Whether one handle may carry several edges (`any`: each edge is a branch of its own). */
export function allowsManyEdges(spec: NodeTypeSpec | undefined): boolean {
  return spec?.branches.kind === "any";
}

/** Whether edges may enter nodes of this type (triggers only start runs). */
export function acceptsInput(spec: NodeTypeSpec | undefined): boolean {
  return spec?.category !== "trigger";
}

function derivedNames(from: string | undefined, config: unknown): string[] {
  const match = /^([A-Za-z0-9_]+)\[\]\.([A-Za-z0-9_]+)$/.exec(from ?? "");
  if (match === null || typeof config !== "object" || config === null) return [];
  const items = (config as Record<string, unknown>)[match[1]];
  if (!Array.isArray(items)) return [];
  const names: string[] = [];
  for (const item of items) {
    const name = typeof item === "object" && item !== null ? (item as Record<string, unknown>)[match[2]] : undefined;
    if (typeof name === "string" && name !== "" && !names.includes(name)) names.push(name);
  }
  return names;
}

export const CATEGORY_TITLES: Record<string, string> = {
  trigger: "Triggers",
  action: "Actions",
  flow: "Flow",
};
