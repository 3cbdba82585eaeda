/** Dropping a palette step onto an edge: which edge is under the pointer, and the store update. */
import { type DragEvent, useCallback, useState } from "react";

import { useEditor } from "../state/editor";
import { type Insertion, insertOnEdge } from "./insert";

/** The id of the edge drawn at a screen point, unless a step lies on top of it there. */
export function edgeAt(clientX: number, clientY: number): string | null {
  for (const element of document.elementsFromPoint(clientX, clientY)) {
    if (element.closest(".react-flow__node")) return null;
    const edge = element.closest(".react-flow__edge");
    if (edge !== null) return edge.getAttribute("data-id");
  }
  return null;
}

/** Add a step, splitting `edgeId` around it when the type fits there: one undo step. */
export function insertIntoEditor(edgeId: string | null, nodeType: string, position: { x: number; y: number }): Insertion {
  const state = useEditor.getState();
  const insertion = insertOnEdge(state, state.registry, edgeId, nodeType, position);
  useEditor.setState({ nodes: insertion.nodes, edges: insertion.edges });
  return insertion;
}

/** The edge a palette drag hovers (highlighted so the user sees the drop will split it). */
export function useDropTarget(mime: string) {
  const [edgeId, setEdgeId] = useState<string | null>(null);
  const track = useCallback(
    (event: DragEvent) => {
      const next = event.dataTransfer.types.includes(mime) ? edgeAt(event.clientX, event.clientY) : null;
      setEdgeId((current) => (current === next ? current : next));
    },
    [mime],
  );
  const clear = useCallback(() => setEdgeId(null), []);
  /** Clear only when the drag leaves the canvas, not when it moves between its parts. */
  const leave = useCallback((event: DragEvent) => {
    if (!(event.relatedTarget instanceof Node && event.currentTarget.contains(event.relatedTarget))) setEdgeId(null);
  }, []);
  return { edgeId, track, clear, leave };
}
