import { Handle, type NodeProps, Position, useUpdateNodeInternals } from "@xyflow/react";
import { memo, useEffect, useMemo, useRef } from "react";
import { useShallow } from "zustand/react/shallow";

import type { JourneyNode } from "../canvas/convert";
import { useEditor } from "../state/editor";
import { useSim } from "../state/sim";
import { NodeStatsBadges } from "../stats/StatsOverlay";
import { NodeIcon } from "./icons";
import { TARGET_HANDLE, acceptsInput, branchHandles } from "./registry";
import { configSummary } from "./summary";

/** The one renderer of every node type: its look, handles and badges come from the registry. */
function JourneyNodeViewImpl({ id, data, selected }: NodeProps<JourneyNode>) {
  const spec = useEditor((state) => state.registry.byType.get(data.nodeType));
  const issues = useEditor(useShallow((state) => state.issues.filter((issue) => issue.node_id === id)));
  const loadErrors = useEditor(useShallow((state) => state.loadErrors.filter((error) => error.nodeId === id)));
  const onPath = useSim((state) => (state.highlight === null ? null : state.highlight.nodes.has(id)));
  const run = useSim((state) => state.runStatus?.get(id));
  const config = data.fields.config;
  const handles = useMemo(() => branchHandles(spec, config), [spec, config]);
  const handleKey = handles.map((handle) => handle.id).join("|");
  const updateNodeInternals = useUpdateNodeInternals();
  // React Flow measures a node and its handles when it mounts; only a change of the handles
  // (cases or variants added, renamed, removed) needs asking again. Asking on mount too made
  // a 300-step journey measure itself 300 times over.
  const shownHandles = useRef(handleKey);
  useEffect(() => {
    if (shownHandles.current === handleKey) return;
    shownHandles.current = handleKey;
    updateNodeInternals(id);
  }, [id, handleKey, updateNodeInternals]);

  const errors = issues.filter((issue) => issue.severity === "error").length + loadErrors.length;
  const warnings = issues.length - issues.filter((issue) => issue.severity === "error").length;
  const title = typeof data.fields.name === "string" && data.fields.name !== "" ? data.fields.name : (spec?.title ?? data.nodeType);
  const summary = configSummary(spec, config);
  const named = handles.filter((handle) => handle.label !== null);
  const problemText = [...loadErrors.map((error) => error.message), ...issues.map((issue) => issue.message)].join("\n");

  return (
    <div
      className={`jn cat-${spec?.category ?? "unknown"}${selected ? " selected" : ""}${errors ? " has-errors" : warnings ? " has-warnings" : ""}${onPath === null ? "" : onPath ? " on-path" : " off-path"}`}
      data-testid={`node-${id}`}
      data-path={onPath === null ? undefined : onPath ? "on" : "off"}
      data-run-status={run?.status}
      data-node-type={data.nodeType}
    >
      {acceptsInput(spec) && <Handle type="target" position={Position.Left} id={TARGET_HANDLE} className="jn-handle jn-in" data-testid={`handle-${id}-in`} />}
      <div className="jn-head">
        <span className="jn-icon">
          <NodeIcon name={spec?.icon} size={16} />
        </span>
        <div className="jn-titles">
          <div className="jn-title" title={title}>
            {title}
          </div>
          <div className="jn-sub">
            {spec?.title ?? `Unknown type '${data.nodeType}'`} · <span className="jn-id">{id}</span>
          </div>
        </div>
      </div>
      {summary !== null && (
        <div className="jn-summary mono" title={summary}>
          {summary}
        </div>
      )}
      {named.length > 0 && (
        <div className="jn-branches">
          {named.map((handle) => (
            <div className="jn-branch" key={handle.id}>
              <span className="jn-branch-label">{handle.label}</span>
              <Handle type="source" position={Position.Right} id={handle.id} className="jn-handle jn-out" data-testid={`handle-${id}-${handle.id}`} />
            </div>
          ))}
        </div>
      )}
      {handles.length > 0 && named.length === 0 && (
        <Handle type="source" position={Position.Right} id={handles[0].id} className="jn-handle jn-out" data-testid={`handle-${id}-${handles[0].id}`} />
      )}
      {run && (
        <div className={`jn-run run-${run.status}`} data-testid={`node-run-${id}`} title={run.error ?? undefined}>
          <span className="jn-run-status">{run.status}</span>
          {run.waitingUntil && <span> until {new Date(run.waitingUntil).toLocaleString()}</span>}
          {run.count > 1 && <span> ×{run.count}</span>}
          {run.attempts > 1 && <span> · {run.attempts} attempts</span>}
          {run.error && <div className="jn-run-error">{run.error}</div>}
        </div>
      )}
      <NodeStatsBadges nodeId={id} />
      {(errors > 0 || warnings > 0) && (
        <div className={`jn-badge ${errors > 0 ? "error" : "warning"}`} data-testid={`node-badge-${id}`} title={problemText}>
          {errors > 0 ? errors : warnings}
        </div>
      )}
    </div>
  );
}

export const JourneyNodeView = memo(JourneyNodeViewImpl);
