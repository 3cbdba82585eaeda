import { useReactFlow } from "@xyflow/react";
import { Search } from "lucide-react";
import { type KeyboardEvent, useMemo, useState } from "react";

import { NodeIcon } from "../nodes/icons";
import { Dialog } from "../panels/Dialog";
import { useEditor } from "../state/editor";
import { filterEntries, nodeEntries } from "./nodeSearch";

/**
 * The Ctrl+K dialog: type to filter the journey's steps, arrows and Enter (or a click) to go to
 * one: the canvas centres on it and the inspector shows it.
 */
export function NodeSearch({ onClose, onGoTo }: { onClose: () => void; onGoTo: () => void }) {
  const nodes = useEditor((state) => state.nodes);
  const registry = useEditor((state) => state.registry);
  const { getInternalNode, setCenter, getZoom } = useReactFlow();
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const entries = useMemo(() => nodeEntries(nodes, registry), [nodes, registry]);
  const results = useMemo(() => filterEntries(entries, query), [entries, query]);
  const current = Math.min(active, results.length - 1);

  const goTo = (id: string) => {
    onClose();
    onGoTo();
    useEditor.getState().select(id);
    const node = getInternalNode(id);
    if (node === undefined) return;
    const { x, y } = node.internals.positionAbsolute;
    void setCenter(x + (node.measured.width ?? 0) / 2, y + (node.measured.height ?? 0) / 2, { zoom: Math.max(getZoom(), 1), duration: 300 });
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((current + step + results.length) % Math.max(results.length, 1));
    } else if (event.key === "Enter" && results[current] !== undefined) {
      event.preventDefault();
      goTo(results[current].id);
    }
  };

  return (
    <Dialog title="Go to a step" onClose={onClose} testId="node-search">
      <label className="search">
        <Search size={14} aria-hidden="true" />
        <input
          type="search"
          autoFocus
          placeholder="Id, name, type or summary"
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
          role="combobox"
          aria-expanded="true"
          aria-controls="node-search-results"
          aria-activedescendant={results[current] ? `node-search-${results[current].id}` : undefined}
          aria-label="Find a step"
          data-testid="node-search-input"
        />
      </label>
      <ul className="node-search-results" id="node-search-results" role="listbox" aria-label="Steps">
        {results.length === 0 && <li className="muted small">No step matches “{query}”.</li>}
        {results.map((entry, index) => (
          <li
            key={entry.id}
            id={`node-search-${entry.id}`}
            role="option"
            aria-selected={index === current}
            className={`node-search-result cat-${entry.category}${index === current ? " active" : ""}`}
            onMouseEnter={() => setActive(index)}
            onClick={() => goTo(entry.id)}
            data-testid={`node-search-result-${entry.id}`}
          >
            <NodeIcon name={entry.icon} size={15} />
            <span className="node-search-text">
              <span className="node-search-title">{entry.title}</span>
              <span className="muted small">
                {entry.typeTitle} · <span className="mono">{entry.id}</span>
                {entry.summary !== null && <> · {entry.summary}</>}
              </span>
            </span>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
