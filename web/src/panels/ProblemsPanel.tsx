import { useReactFlow } from "@xyflow/react";
import { AlertTriangle, CheckCircle2, ChevronDown, ChevronUp, CircleX, Loader2 } from "lucide-react";
import { useState } from "react";

import { useEditor } from "../state/editor";

/** Every issue of the draft (server validation) and of opening it (the converter). */
export function ProblemsPanel({ checking }: { checking: boolean }) {
  const issues = useEditor((state) => state.issues);
  const loadErrors = useEditor((state) => state.loadErrors);
  const nodes = useEditor((state) => state.nodes);
  const select = useEditor((state) => state.select);
  const { fitView } = useReactFlow();
  const [open, setOpen] = useState(true);
  const errors = issues.filter((issue) => issue.severity === "error").length + loadErrors.length;
  const warnings = issues.filter((issue) => issue.severity === "warning").length;

  const focus = (nodeId: string | null | undefined) => {
    if (!nodeId || !nodes.some((node) => node.id === nodeId)) return;
    select(nodeId);
    void fitView({ nodes: [{ id: nodeId }], duration: 300, maxZoom: 1.2, padding: 0.6 });
  };
  const label = (nodeId: string | null | undefined) => {
    const node = nodes.find((candidate) => candidate.id === nodeId);
    if (node === undefined) return nodeId ?? "journey";
    return typeof node.data.fields.name === "string" && node.data.fields.name ? node.data.fields.name : node.id;
  };

  return (
    <section className={`problems${open ? " open" : ""}`} data-testid="problems-panel">
      <button type="button" className="problems-bar" onClick={() => setOpen(!open)} data-testid="problems-toggle">
        <span className="problems-title">Problems</span>
        <span className={`count error${errors ? "" : " zero"}`} data-testid="problems-errors">
          <CircleX size={13} /> {errors}
        </span>
        <span className={`count warning${warnings ? "" : " zero"}`} data-testid="problems-warnings">
          <AlertTriangle size={13} /> {warnings}
        </span>
        {checking && (
          <span className="muted small checking" data-testid="validating">
            <Loader2 size={12} className="spin" /> checking
          </span>
        )}
        <span className="spacer" />
        {open ? <ChevronDown size={14} /> : <ChevronUp size={14} />}
      </button>
      {open && (
        <div className="problems-list">
          {errors + warnings === 0 && (
            <div className="problems-empty" data-testid="problems-empty">
              <CheckCircle2 size={14} /> No problems: this journey can be published.
            </div>
          )}
          {loadErrors.map((error, index) => (
            <button type="button" key={`load-${index}`} className="problem error" onClick={() => focus(error.nodeId)} data-testid="problem">
              <CircleX size={13} />
              <span className="problem-where">{label(error.nodeId)}</span>
              <span className="problem-code">document</span>
              <span className="problem-message">{error.message}</span>
            </button>
          ))}
          {issues.map((issue, index) => (
            <button
              type="button"
              key={`${issue.code}-${index}`}
              className={`problem ${issue.severity}`}
              onClick={() => focus(issue.node_id)}
              data-testid="problem"
              data-code={issue.code}
              data-node={issue.node_id ?? ""}
            >
              {issue.severity === "error" ? <CircleX size={13} /> : <AlertTriangle size={13} />}
              <span className="problem-where">{label(issue.node_id)}</span>
              <span className="problem-code">{issue.code}</span>
              <span className="problem-message">{issue.message}</span>
            </button>
          ))}
        </div>
      )}
    </section>
  );
}
