/**
 * The journey document (docs/dsl.md) as the designer handles it: only the envelope is typed.
 * Node configs stay opaque JSON here; their shape comes from each node type's `config_schema`
 * served by `GET /api/v1/node-types`, never from TypeScript.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface Position {
  x: number;
  y: number;
}

/** Everything a node holds but its id, type and position. */
export interface NodeFields {
  name?: string;
  description?: string;
  config?: JsonObject;
  [field: string]: unknown;
}

export interface DocNode extends NodeFields {
  id: string;
  type: string;
  position?: Position;
}

export interface DocEdge {
  id?: string;
  source: string;
  target: string;
  branch?: string;
  [field: string]: unknown;
}

/** Everything of a document but its graph: what the converter carries along untouched. */
export interface DocumentMeta {
  dsl_version?: string;
  key: string;
  name: string;
  description?: string;
  settings?: JsonObject;
  annotations?: Json[];
  metadata?: JsonObject;
  [field: string]: unknown;
}

export interface JourneyDocument extends DocumentMeta {
  nodes: DocNode[];
  edges: DocEdge[];
}

/** One validation issue (`POST /validate`, `GET /journeys/{key}`), see docs/dsl.md#validation. */
export interface Issue {
  code: string;
  severity: "error" | "warning";
  message: string;
  node_id?: string | null;
  edge_id?: string | null;
  path?: string | null;
  line?: number | null;
  column?: number | null;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
