import { X } from "lucide-react";
import { useShallow } from "zustand/react/shallow";

import { allowsManyEdges, branchHandles } from "../nodes/registry";
import { isValidConnection, useEditor } from "../state/editor";

/**
 * Where each branch of a step leads, as a choice of step: the click and keyboard alternative to
 * dragging a connection on the canvas. Only steps the canvas would accept are offered.
 */
export function BranchTargets({ id }: { id: string }) {
  const { nodes, edges, registry, connectBranch, removeEdge } = useEditor(
    useShallow((state) => ({ nodes: state.nodes, edges: state.edges, registry: state.registry, connectBranch: state.connectBranch, removeEdge: state.removeEdge })),
  );
  const node = nodes.find((candidate) => candidate.id === id);
  if (node === undefined) return null;
  const spec = registry.byType.get(node.data.nodeType);
  const handles = branchHandles(spec, node.data.fields.config);
  if (handles.length === 0) return null;
  const many = allowsManyEdges(spec);
  const label = (target: string) => {
    const step = nodes.find((candidate) => candidate.id === target);
    const name = typeof step?.data.fields.name === "string" && step.data.fields.name !== "" ? step.data.fields.name : null;
    return name === null ? target : `${name} (${target})`;
  };

  return (
    <section className="branch-targets" data-testid="branch-targets">
      <div className="section-title">Next steps</div>
      {handles.map((handle) => {
        const leaving = edges.filter((edge) => edge.source === id && edge.sourceHandle === handle.id);
        const others = many ? edges : edges.filter((edge) => !leaving.includes(edge));
        const candidates = nodes.filter((candidate) => isValidConnection({ source: id, target: candidate.id, sourceHandle: handle.id }, { nodes, edges: others, registry }));
        const options = candidates.map((candidate) => (
          <option key={candidate.id} value={candidate.id}>
            {label(candidate.id)}
          </option>
        ));
        const branch = handle.label ?? "next";
        const testId = `branch-target-${handle.id}`;
        return (
          <div key={handle.id} className="branch-target">
            <span className="branch-name">{branch}</span>
            {many ? (
              <div className="branch-many">
                {leaving.map((edge) => (
                  <span key={edge.id} className="branch-chip" data-testid={`${testId}-to-${edge.target}`}>
                    {label(edge.target)}
                    <button type="button" className="btn icon" aria-label={`Remove the branch to ${edge.target}`} onClick={() => removeEdge(edge.id)}>
                      <X size={12} />
                    </button>
                  </span>
                ))}
                <select aria-label={`Add a ${branch} branch`} value="" onChange={(event) => connectBranch(id, handle.id, event.target.value)} data-testid={testId}>
                  <option value="">Add a branch to…</option>
                  {options}
                </select>
              </div>
            ) : (
              <select
                aria-label={`Where ${branch} leads`}
                value={leaving[0]?.target ?? ""}
                onChange={(event) => connectBranch(id, handle.id, event.target.value === "" ? null : event.target.value)}
                data-testid={testId}
              >
                <option value="">Not connected</option>
                {options}
              </select>
            )}
          </div>
        );
      })}
    </section>
  );
}
