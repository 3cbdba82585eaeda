import { useReactFlow } from "@xyflow/react";
import { Search } from "lucide-react";
import { type DragEvent, useMemo, useState } from "react";

import { DRAG_MIME } from "../canvas/Canvas";
import { STEP_SIZE, freeSpot } from "../canvas/freeSpot";
import { NodeIcon } from "../nodes/icons";
import { CATEGORY_TITLES, type NodeTypeSpec } from "../nodes/registry";
import { useEditor } from "../state/editor";
import { useVersionView } from "../versions/viewing";

/** Every node type of the registry, by category: drag one onto the canvas or click to add it. */
export function Palette() {
  const types = useEditor((state) => state.registry.types);
  const addNode = useEditor((state) => state.addNode);
  const { screenToFlowPosition } = useReactFlow();
  const [query, setQuery] = useState("");
  const readOnly = useVersionView((state) => state.viewing !== null);

  const groups = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const matching = types.filter((spec) => {
      const text = `${spec.title} ${spec.type} ${spec.description} ${spec.category}`.toLowerCase();
      return words.every((word) => text.includes(word));
    });
    const byCategory = new Map<string, NodeTypeSpec[]>();
    for (const spec of matching) byCategory.set(spec.category, [...(byCategory.get(spec.category) ?? []), spec]);
    return [...byCategory.entries()];
  }, [types, query]);

  const addAtCentre = (spec: NodeTypeSpec) => {
    const canvas = document.querySelector("[data-testid=canvas]")?.getBoundingClientRect();
    const centre = canvas ? { x: canvas.left + canvas.width / 2, y: canvas.top + canvas.height / 2 } : { x: 400, y: 300 };
    const point = screenToFlowPosition(centre);
    const { nodes, annotations } = useEditor.getState();
    const steps = nodes.map((node) => ({ ...node.position, width: node.measured?.width ?? STEP_SIZE.width, height: node.measured?.height ?? STEP_SIZE.height }));
    const notes = (annotations ?? []).filter((note) => note.type === "note").map((note) => ({ ...note.position, width: note.measured?.width ?? 0, height: note.measured?.height ?? 0 }));
    addNode(spec.type, freeSpot({ x: Math.round((point.x - 110) / 20) * 20, y: Math.round((point.y - 30) / 20) * 20 }, [...steps, ...notes]));
  };

  const onDragStart = (event: DragEvent, spec: NodeTypeSpec) => {
    event.dataTransfer.setData(DRAG_MIME, spec.type);
    event.dataTransfer.effectAllowed = "copy";
  };

  return (
    <aside className="palette" data-testid="palette">
      <div className="panel-title">Add a step</div>
      <label className="search">
        <Search size={14} aria-hidden="true" />
        <input
          type="search"
          placeholder="Search steps"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          data-testid="palette-search"
          aria-label="Search steps"
        />
      </label>
      <fieldset className="palette-groups read-only-fieldset" disabled={readOnly} title={readOnly ? "A published version cannot change: go back to the draft to add steps" : undefined}>
        {groups.length === 0 && <div className="muted small">No step matches “{query}”.</div>}
        {groups.map(([category, specs]) => (
          <section key={category} className="palette-group">
            <h3>{CATEGORY_TITLES[category] ?? category}</h3>
            {specs.map((spec) => (
              <button
                type="button"
                key={spec.type}
                className={`palette-item cat-${spec.category}`}
                draggable={!readOnly}
                onDragStart={(event) => onDragStart(event, spec)}
                onClick={() => addAtCentre(spec)}
                title={`${spec.description}\nDrag onto the canvas, or click to add.`}
                data-testid={`palette-item-${spec.type}`}
              >
                <span className="palette-icon">
                  <NodeIcon name={spec.icon} size={15} />
                </span>
                <span className="palette-text">
                  <span className="palette-name">{spec.title}</span>
                  <span className="palette-desc">{spec.description}</span>
                </span>
              </button>
            ))}
          </section>
        ))}
      </fieldset>
    </aside>
  );
}
