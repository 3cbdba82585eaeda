/**
 * When a test run is repeated by itself: the panel re-simulates the draft a moment after an
 * edit that can change the path, so the highlight follows the graph instead of going stale.
 */
import type { JourneyDocument } from "../api/document";

/** The pause after the last edit before the test runs again (typing a field is many edits). */
export const RERUN_DELAY_MS = 600;

/** What a simulation depends on: the document without where nodes sit and without notes, so
 * moving things around (or selecting them) does not run the test again. */
export function simulationKey(doc: JourneyDocument): string {
  const { annotations: _annotations, ...rest } = doc;
  return JSON.stringify({ ...rest, nodes: doc.nodes.map(({ position: _position, ...node }) => node) });
}
