import type { JourneyEdge, JourneyNode } from "./convert";

/** ELK is large: it loads the first time someone tidies up. */
async function loadElk() {
  const { default: ELK } = await import("elkjs/lib/elk.bundled.js");
  return new ELK();
}

/** A left-to-right layered layout of the graph (ELK), as new positions by node id. */
export async function tidyLayout(nodes: JourneyNode[], edges: JourneyEdge[]): Promise<Map<string, { x: number; y: number }>> {
  const ids = new Set(nodes.map((node) => node.id));
  const graph = {
    id: "root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "RIGHT",
      "elk.spacing.nodeNode": "50",
      "elk.layered.spacing.nodeNodeBetweenLayers": "90",
      "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
      "elk.layered.crossingMinimization.semiInteractive": "true",
    },
    children: nodes.map((node) => ({ id: node.id, width: node.measured?.width ?? 240, height: node.measured?.height ?? 80 })),
    edges: edges
      .filter((edge) => ids.has(edge.source) && ids.has(edge.target))
      .map((edge) => ({ id: edge.id, sources: [edge.source], targets: [edge.target] })),
  };
  const elk = await loadElk();
  const laid = await elk.layout(graph);
  const positions = new Map<string, { x: number; y: number }>();
  for (const child of laid.children ?? []) positions.set(child.id, { x: Math.round((child.x ?? 0) / 20) * 20, y: Math.round((child.y ?? 0) / 20) * 20 });
  return positions;
}
