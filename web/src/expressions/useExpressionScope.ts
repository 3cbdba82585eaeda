import { useMemo } from "react";

import { useEditor } from "../state/editor";
import { type ExpressionLanguage, type ScopeTree, expressionScope } from "./scope";

/**
 * The scope of a field of the inspector: the inspector edits the one selected node, or the
 * journey's settings when no node is selected.
 */
export function useExpressionScope(field: string, language: ExpressionLanguage): ScopeTree {
  const nodes = useEditor((state) => state.nodes);
  const edges = useEditor((state) => state.edges);
  const settings = useEditor((state) => state.meta.settings);
  return useMemo(() => {
    const selected = nodes.filter((node) => node.selected);
    return expressionScope({
      nodes: nodes.map((node) => ({ id: node.id, type: node.data.nodeType, config: node.data.fields.config, on_error: node.data.fields.on_error })),
      edges,
      settings,
      currentId: selected.length === 1 ? selected[0].id : null,
      field,
      language,
    });
  }, [nodes, edges, settings, field, language]);
}
