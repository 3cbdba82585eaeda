/**
 * The per-node counts the canvas shows, read from `GET /journeys/{key}/stats`. Pure, so it is
 * tested without a browser.
 */
import type { JourneyStats } from "../api/client";

export interface NodeCounts {
  /** Runs that reached the node. */
  entered: number;
  /** Runs there now. */
  now: number;
  /** Runs that failed there. */
  failed: number;
}

/** One node's counts; a node no run has reached has none (zero everywhere). */
export function countsOf(stats: JourneyStats | undefined, nodeId: string): NodeCounts | null {
  if (stats === undefined) return null;
  const node = stats.nodes.find((candidate) => candidate.node_id === nodeId);
  return { entered: node?.entered ?? 0, now: node?.active ?? 0, failed: node?.failed ?? 0 };
}

/** The overlay's summary line: "Version 3: 12 runs". */
export function statsSummary(stats: JourneyStats): string {
  const runs = `${stats.runs} run${stats.runs === 1 ? "" : "s"}`;
  return stats.version === null ? runs : `Version ${stats.version}: ${runs}`;
}
