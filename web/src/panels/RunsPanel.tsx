import { Ban, Loader2, Play, RefreshCw, RotateCcw, X } from "lucide-react";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";

import { ApiError, type RunView, api } from "../api/client";
import { runQuery, runsChanged, useCancelRun, useRunList, useStartRun } from "../api/queries";
import { type RunStep, nodeStatuses, runEnded, runInput, runPath } from "../runs/status";
import { parseObject, pathHighlight } from "../sim/highlight";
import { useEditor } from "../state/editor";
import { useSim } from "../state/sim";

const words = (error: unknown) => (error instanceof Error ? error.message : String(error));
const time = (value: string | null | undefined) => (value ? new Date(value).toLocaleString() : "");

/** Start a run of the published version, list the journey's runs, watch one live on the canvas. */
export function RunsPanel({ journeyKey, onClose }: { journeyKey: string; onClose: () => void }) {
  const publishedVersion = useEditor((state) => state.journey?.publishedVersion ?? null);
  const [userId, setUserId] = useState("user-1");
  const [input, setInput] = useState("{}");
  const [error, setError] = useState<string | null>(null);
  const [run, setRun] = useState<RunView | null>(null);
  const [live, setLive] = useState(false);
  const stopWatching = useRef<() => void>(() => undefined);
  const queryClient = useQueryClient();
  const runList = useRunList(journeyKey);
  const runs = runList.data ?? null;
  const listError = runList.error ? `Could not list the runs: ${words(runList.error)}` : null;
  const starter = useStartRun(journeyKey);
  const canceller = useCancelRun(journeyKey);
  const starting = starter.isPending;
  const cancelling = canceller.isPending;

  const show = useCallback((view: RunView) => {
    setRun(view);
    const sim = useSim.getState();
    sim.setRunStatus(nodeStatuses(view as Parameters<typeof nodeStatuses>[0]));
    sim.setHighlight(pathHighlight(runPath(view as Parameters<typeof runPath>[0]), useEditor.getState().edges));
  }, []);

  const watch = useCallback(
    (view: RunView) => {
      stopWatching.current();
      show(view);
      if (runEnded(view.status)) {
        setLive(false);
        stopWatching.current = () => undefined;
        return;
      }
      setLive(true);
      stopWatching.current = api.watchRun(
        view.run_id,
        show,
        () => {
          setLive(false);
          void runsChanged(queryClient, journeyKey, view.run_id);
        },
        () => {
          setLive(false);
          queryClient.fetchQuery(runQuery(view.run_id)).then(show, (caught: unknown) => setError(`Lost the run's live updates: ${words(caught)}`));
        },
      );
    },
    [show, queryClient, journeyKey],
  );

  const open = async (runId: string) => {
    setError(null);
    try {
      watch(await queryClient.fetchQuery(runQuery(runId)));
    } catch (caught) {
      setError(`Could not open the run: ${words(caught)}`);
    }
  };

  useEffect(() => {
    return () => {
      stopWatching.current();
      useSim.getState().setRunStatus(null);
      useSim.getState().setHighlight(null);
    };
  }, [journeyKey]);

  const launch = async (user: string, properties: Record<string, unknown>) => {
    try {
      watch(await starter.mutateAsync({ userId: user, input: properties }));
    } catch (caught) {
      const status = caught instanceof ApiError ? caught.status : 0;
      setError(`Could not start the run${status === 503 ? " (the engine is not available)" : ""}: ${words(caught)}`);
    }
  };

  const start = async () => {
    setError(null);
    const parsed = parseObject(input, "Trigger input");
    if ("error" in parsed) return setError(parsed.error);
    if (userId.trim() === "") return setError("The run needs a user id");
    await launch(userId.trim(), parsed.value);
  };

  const again = async () => {
    if (run === null) return;
    setError(null);
    const triggers = new Set(useEditor.getState().nodes.filter((node) => node.data.nodeType === "trigger").map((node) => node.id));
    await launch(run.user_id ?? userId, runInput(run as Parameters<typeof runInput>[0], triggers) ?? {});
  };

  const cancel = async () => {
    if (run === null) return;
    try {
      await canceller.mutateAsync(run.run_id);
      if (!live) show(await queryClient.fetchQuery(runQuery(run.run_id)));
    } catch (caught) {
      setError(`Could not cancel the run: ${words(caught)}`);
    }
  };

  const close = () => {
    stopWatching.current();
    setRun(null);
    setLive(false);
    useSim.getState().setRunStatus(null);
    useSim.getState().setHighlight(null);
  };

  return (
    <aside className="inspector sim-panel" data-testid="runs-panel">
      <div className="inspector-body">
        <div className="sim-head">
          <div className="panel-title">Runs</div>
          <button type="button" className="btn icon ghost" onClick={onClose} title="Close the runs" data-testid="runs-close">
            <X size={15} />
          </button>
        </div>
        {run === null ? (
          <>
            <p className="muted small">
              {publishedVersion ? `Starts a real run of version ${publishedVersion}, the published one.` : "Publish the journey to start runs of it."}
            </p>
            <label className="field-label" htmlFor="run-user">
              User id
            </label>
            <input id="run-user" className="form-control" value={userId} onChange={(event) => setUserId(event.target.value)} data-testid="run-user" />
            <label className="field-label" htmlFor="run-input">
              Trigger input (JSON)
            </label>
            <textarea id="run-input" className="form-control mono" rows={2} value={input} onChange={(event) => setInput(event.target.value)} data-testid="run-input" />
            <div className="sim-actions">
              <button type="button" className="btn primary" onClick={() => void start()} disabled={starting || !publishedVersion} data-testid="run-start">
                {starting ? <Loader2 size={15} className="spin" /> : <Play size={15} />} Start run
              </button>
            </div>
            {error && (
              <div className="sim-error" role="alert" data-testid="run-error">
                {error}
              </div>
            )}
            <div className="sim-head">
              <div className="field-label">Recent runs</div>
              <button type="button" className="btn icon ghost" title="Refresh" onClick={() => void runList.refetch()} data-testid="runs-refresh">
                <RefreshCw size={14} />
              </button>
            </div>
            {listError && <div className="sim-error">{listError}</div>}
            {runs !== null && runs.length === 0 && (
              <div className="muted small" data-testid="runs-empty">
                No runs yet
              </div>
            )}
            {runs?.map((item) => (
              <button type="button" className="run-row" key={item.run_id} onClick={() => void open(item.run_id)} data-testid="run-row">
                <span className={`chip run-${item.status}`}>{item.status}</span> <span className="mono small">{item.user_id}</span>{" "}
                <span className="muted small">
                  v{item.version} · {time(item.started_at)}
                </span>
              </button>
            ))}
          </>
        ) : (
          <RunDetail
            run={run}
            live={live}
            cancelling={cancelling}
            starting={starting}
            error={error}
            onCancel={() => void cancel()}
            onAgain={() => void again()}
            onBack={close}
          />
        )}
      </div>
    </aside>
  );
}

function RunDetail(props: {
  run: RunView;
  live: boolean;
  cancelling: boolean;
  starting: boolean;
  error: string | null;
  onCancel: () => void;
  onAgain: () => void;
  onBack: () => void;
}) {
  const { run, live } = props;
  const nodes = useEditor((state) => state.nodes);
  const label = (id: string) => {
    const node = nodes.find((candidate) => candidate.id === id);
    return node && typeof node.data.fields.name === "string" && node.data.fields.name ? node.data.fields.name : id;
  };
  const steps = (run.steps ?? []) as RunStep[];
  return (
    <div data-testid="run-view">
      <button type="button" className="btn ghost" onClick={props.onBack} data-testid="run-back">
        ← All runs
      </button>
      <div className="run-meta">
        <span className={`chip run-${run.status}`} data-testid="run-status">
          {run.status}
        </span>
        {live && <span className="muted small"> live</span>}
        <div className="mono small" data-testid="run-id">
          {run.run_id}
        </div>
        <div className="muted small">
          user {run.user_id} · v{run.version} · started {time(run.started_at)}
          {run.finished_at ? ` · ended ${time(run.finished_at)}` : ""}
        </div>
      </div>
      {run.error && (
        <div className="sim-error" data-testid="run-run-error">
          {run.error}
        </div>
      )}
      <div className="sim-actions">
        {!runEnded(run.status) && (
          <button type="button" className="btn danger" onClick={props.onCancel} disabled={props.cancelling} data-testid="run-cancel">
            <Ban size={14} /> Cancel run
          </button>
        )}
        <button
          type="button"
          className="btn"
          onClick={props.onAgain}
          disabled={props.starting}
          title="Start a new run of the published version for this user, with the same trigger input"
          data-testid="run-again"
        >
          <RotateCcw size={14} /> Run again
        </button>
      </div>
      {props.error && (
        <div className="sim-error" role="alert" data-testid="run-error">
          {props.error}
        </div>
      )}
      <div className="field-label">Steps ({steps.length})</div>
      <ol className="run-steps" data-testid="run-steps">
        {steps.map((step, index) => (
          <li key={index} className={`run-step run-${step.status}`} data-testid="run-step">
            <div>
              <b>{label(step.node_id)}</b> <span className={`chip run-${step.status}`}>{step.status}</span>
              {step.iteration != null && <span className="muted small"> iteration {step.iteration}</span>}
            </div>
            <div className="muted small">
              {time(step.started_at)}
              {step.finished_at ? ` → ${time(step.finished_at)}` : ""}
              {step.attempts > 0 ? ` · ${step.attempts} attempt${step.attempts === 1 ? "" : "s"}` : ""}
              {step.waiting_until ? ` · waiting until ${time(step.waiting_until)}` : ""}
            </div>
            {step.error && <div className="sim-error">{step.error}</div>}
            {step.output !== undefined && step.output !== null && (
              <details>
                <summary className="small">Output</summary>
                <pre className="mono small sim-params">{JSON.stringify(step.output, null, 2)}</pre>
              </details>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
