/**
 * What a simulated (or real) run's path lights up on the canvas: the nodes it visited and the
 * edges it took between consecutive path nodes. Pure, so it is tested without a browser.
 */
export interface PathEdge {
  id: string;
  source: string;
  target: string;
}

export interface Highlight {
  nodes: Set<string>;
  edges: Set<string>;
}

export function pathHighlight(path: readonly string[], edges: readonly PathEdge[]): Highlight {
  const nodes = new Set(path);
  const steps = new Set<string>();
  for (let index = 0; index + 1 < path.length; index++) steps.add(`${path[index]}\u0000${path[index + 1]}`);
  const lit = new Set<string>();
  for (const edge of edges) if (steps.has(`${edge.source}\u0000${edge.target}`)) lit.add(edge.id);
  return { nodes, edges: lit };
}

/** How far after the start `at` is, in words: "+0s", "+4h", "+1d 2h 5m". */
export function offsetLabel(start: string, at: string): string {
  const ms = Date.parse(at) - Date.parse(start);
  if (!Number.isFinite(ms)) return "";
  let seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds === 0) return "+0s";
  const parts: string[] = [];
  for (const [unit, size] of [
    ["d", 86400],
    ["h", 3600],
    ["m", 60],
    ["s", 1],
  ] as const) {
    if (seconds >= size) {
      parts.push(`${Math.floor(seconds / size)}${unit}`);
      seconds %= size;
    }
  }
  return `+${parts.join(" ")}`;
}

/** Parse a JSON object typed by the user; a message in words when it is not one. */
export function parseObject(text: string, what: string): { value: Record<string, unknown> } | { error: string } {
  if (text.trim() === "") return { value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `${what} is not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { error: `${what} must be a JSON object ({...})` };
  return { value: value as Record<string, unknown> };
}

/** The highlight without the nodes and edges that are gone (deleted, renamed, reconnected);
 * the same object when nothing is gone, so the canvas does not redraw for nothing. */
export function pruneHighlight(highlight: Highlight, nodes: readonly { id: string }[], edges: readonly { id: string }[]): Highlight {
  const nodeIds = new Set(nodes.map((node) => node.id));
  const edgeIds = new Set(edges.map((edge) => edge.id));
  const keptNodes = [...highlight.nodes].filter((id) => nodeIds.has(id));
  const keptEdges = [...highlight.edges].filter((id) => edgeIds.has(id));
  if (keptNodes.length === highlight.nodes.size && keptEdges.length === highlight.edges.size) return highlight;
  return { nodes: new Set(keptNodes), edges: new Set(keptEdges) };
}
