import { BaseEdge, EdgeLabelRenderer, type EdgeProps, getSmoothStepPath, useStore } from "@xyflow/react";
import { Plus } from "lucide-react";
import { useEffect, useMemo, useRef, useState } from "react";

import { NodeIcon } from "../nodes/icons";
import { useEditor } from "../state/editor";
import { useVersionView } from "../versions/viewing";
import type { JourneyEdge } from "./convert";
import { insertIntoEditor } from "./edgeDrop";
import { canSplitWith } from "./insert";
import "./insertableEdge.css";

const GRID = 20;

/**
 * An edge with a "+" at its middle: the click (and keyboard) way to put a step between the two
 * steps it joins, besides dropping a palette item onto the edge.
 */
export function InsertableEdge({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, markerEnd, style, interactionWidth }: EdgeProps<JourneyEdge>) {
  const [path, labelX, labelY] = getSmoothStepPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const [open, setOpen] = useState(false);
  const readOnly = useVersionView((state) => state.viewing !== null);
  if (readOnly) return <BaseEdge id={id} path={path} markerEnd={markerEnd} style={style} interactionWidth={interactionWidth} />;
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} style={style} interactionWidth={interactionWidth} />
      <EdgeLabelRenderer>
        <div className="edge-insert nodrag nopan" style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}>
          <button
            type="button"
            className={`edge-insert-button${open ? " open" : ""}`}
            onClick={() => setOpen(!open)}
            title="Add a step here"
            aria-label="Add a step here"
            aria-expanded={open}
            data-testid={`edge-insert-${id}`}
          >
            <Plus size={12} />
          </button>
          {open && (
            <StepPicker
              onPick={(nodeType) => {
                setOpen(false);
                insertIntoEditor(id, nodeType, { x: Math.round((labelX - 110) / GRID) * GRID, y: Math.round((labelY - 30) / GRID) * GRID });
              }}
              onClose={() => setOpen(false)}
            />
          )}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

/** The step types that can sit between two steps; Escape or a click elsewhere closes it. */
function StepPicker({ onPick, onClose }: { onPick: (nodeType: string) => void; onClose: () => void }) {
  const registry = useEditor((state) => state.registry);
  const types = useMemo(() => registry.types.filter((spec) => canSplitWith(spec, registry)), [registry]);
  const ref = useRef<HTMLDivElement>(null);
  // The picker is a menu, not part of the drawing: it keeps its size at any zoom.
  const zoom = useStore((state) => state.transform[2]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && onClose();
    const onDown = (event: MouseEvent) => ref.current?.parentElement?.contains(event.target as Node) || onClose();
    window.addEventListener("keydown", onKey);
    window.addEventListener("mousedown", onDown);
    return () => {
      window.removeEventListener("keydown", onKey);
      window.removeEventListener("mousedown", onDown);
    };
  }, [onClose]);
  return (
    <div className="edge-picker" ref={ref} role="menu" style={{ transform: `translateX(-50%) scale(${1 / zoom})` }} data-testid="edge-picker">
      {types.map((spec, index) => (
        <button
          type="button"
          key={spec.type}
          role="menuitem"
          className={`edge-picker-item cat-${spec.category}`}
          autoFocus={index === 0}
          onClick={() => onPick(spec.type)}
          data-testid={`edge-picker-${spec.type}`}
        >
          <NodeIcon name={spec.icon} size={14} />
          {spec.title}
        </button>
      ))}
    </div>
  );
}
