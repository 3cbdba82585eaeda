import { useMemo } from "react";
import { useShallow } from "zustand/react/shallow";

import { useEditor } from "../state/editor";
import { type ExpressionLanguage, type ScopeTree, expressionScope } from "./scope";

/**
 * The scope of a field of the inspector: the inspector edits the one selected node, or the
 * journey's settings when no node is selected. Read without positions, so that dragging a
 * node does not recompute it.
 */
export function useExpressionScope(field: string, language: ExpressionLanguage): ScopeTree {
  const ids = useEditor(useShallow((state) => state.nodes.map((node) => node.id)));
  const data = useEditor(useShallow((state) => state.nodes.map((node) => node.data)));
  const currentId = useEditor((state) => {
    const selected = state.nodes.filter((node) => node.selected);
    return selected.length === 1 ? selected[0].id : null;
  });
  const edges = useEditor((state) => state.edges);
  const settings = useEditor((state) => state.meta.settings);
  return useMemo(
    () =>
      expressionScope({
        nodes: ids.map((id, index) => ({ id, type: data[index].nodeType, config: data[index].fields.config, on_error: data[index].fields.on_error })),
        edges,
        settings,
        currentId,
        field,
        language,
      }),
    [ids, data, edges, settings, currentId, field, language],
  );
}
