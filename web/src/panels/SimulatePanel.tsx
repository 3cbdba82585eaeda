import { FlaskConical, Loader2, Plus, Trash2, X } from "lucide-react";
import { useState } from "react";

import { ApiError, type SimulationResult, api } from "../api/client";
import type { Issue } from "../api/document";
import { offsetLabel, parseObject, pathHighlight } from "../sim/highlight";
import { currentDocument, useEditor } from "../state/editor";
import { useSim } from "../state/sim";

interface EventRow {
  key: number;
  after: string;
  name: string;
  properties: string;
}

let nextRow = 1;

/** Test run: the draft on a virtual clock (POST /simulate), its path lit on the canvas. */
export function SimulatePanel({ onClose }: { onClose: () => void }) {
  const [user, setUser] = useState('{\n  "id": "user-1",\n  "email": "ada@example.com"\n}');
  const [input, setInput] = useState("{}");
  const [events, setEvents] = useState<EventRow[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<SimulationResult | null>(null);
  const [simulatedJson, setSimulatedJson] = useState<string | null>(null);
  const stale = useEditor((state) => simulatedJson !== null && JSON.stringify(currentDocument(state)) !== simulatedJson);
  const setHighlight = useSim((state) => state.setHighlight);
  const nodes = useEditor((state) => state.nodes);

  const label = (id: string) => {
    const node = nodes.find((candidate) => candidate.id === id);
    return node && typeof node.data.fields.name === "string" && node.data.fields.name ? node.data.fields.name : id;
  };
  const updateEvent = (key: number, patch: Partial<EventRow>) => setEvents(events.map((row) => (row.key === key ? { ...row, ...patch } : row)));

  const run = async () => {
    setError(null);
    const parsedUser = parseObject(user, "User");
    if ("error" in parsedUser) return setError(parsedUser.error);
    const parsedInput = parseObject(input, "Trigger input");
    if ("error" in parsedInput) return setError(parsedInput.error);
    const scripted = [];
    for (const [index, row] of events.entries()) {
      if (row.name.trim() === "") return setError(`Event ${index + 1} needs a name`);
      const properties = parseObject(row.properties, `Properties of event ${index + 1} (${row.name})`);
      if ("error" in properties) return setError(properties.error);
      scripted.push({ after: row.after.trim() || "PT0S", name: row.name.trim(), properties: properties.value });
    }
    setBusy(true);
    try {
      const state = useEditor.getState();
      const doc = currentDocument(state);
      const answer = await api.simulate({
        journey: doc,
        user: parsedUser.value as never,
        input: parsedInput.value as never,
        events: scripted as never,
      });
      setResult(answer);
      setSimulatedJson(JSON.stringify(doc));
      setHighlight(pathHighlight(answer.path, useEditor.getState().edges));
    } catch (caught) {
      setResult(null);
      setHighlight(null);
      if (caught instanceof ApiError && Array.isArray(caught.problem.issues) && caught.problem.issues.length > 0) {
        const issues = caught.problem.issues as Issue[];
        useEditor.getState().setIssues(issues, JSON.stringify(currentDocument()));
        const errors = issues.filter((issue) => issue.severity === "error");
        setError(`The journey has ${errors.length} error${errors.length === 1 ? "" : "s"} (marked on the steps): ${errors.map((issue) => issue.message).slice(0, 3).join("; ")}`);
      } else {
        setError(`Could not simulate: ${caught instanceof Error ? caught.message : String(caught)}`);
      }
    } finally {
      setBusy(false);
    }
  };

  const clear = () => {
    setResult(null);
    setHighlight(null);
  };

  return (
    <aside className="inspector sim-panel" data-testid="simulate-panel">
      <div className="inspector-body">
        <div className="sim-head">
          <div className="panel-title">Test run</div>
          <button type="button" className="btn icon ghost" onClick={onClose} title="Close the test run" data-testid="simulate-close">
            <X size={15} />
          </button>
        </div>
        <p className="muted small">Runs the draft on a virtual clock: nothing is sent, delays take no time.</p>
        <label className="field-label" htmlFor="sim-user">
          User (JSON)
        </label>
        <textarea id="sim-user" className="form-control mono" rows={4} value={user} onChange={(event) => setUser(event.target.value)} data-testid="simulate-user" />
        <label className="field-label" htmlFor="sim-input">
          Trigger input (JSON)
        </label>
        <textarea id="sim-input" className="form-control mono" rows={2} value={input} onChange={(event) => setInput(event.target.value)} data-testid="simulate-input" />
        <div className="field-label">Events the user sends</div>
        {events.map((row, index) => (
          <div className="sim-event" key={row.key} data-testid={`simulate-event-${index}`}>
            <div className="sim-event-row">
              <input
                className="form-control mono"
                value={row.after}
                placeholder="PT1H"
                title="After (ISO 8601 duration from the start)"
                onChange={(event) => updateEvent(row.key, { after: event.target.value })}
                data-testid={`simulate-event-after-${index}`}
              />
              <input
                className="form-control"
                value={row.name}
                placeholder="event name"
                onChange={(event) => updateEvent(row.key, { name: event.target.value })}
                data-testid={`simulate-event-name-${index}`}
              />
              <button type="button" className="btn icon ghost" title="Remove the event" onClick={() => setEvents(events.filter((other) => other.key !== row.key))} data-testid={`simulate-event-remove-${index}`}>
                <Trash2 size={14} />
              </button>
            </div>
            <textarea
              className="form-control mono"
              rows={1}
              value={row.properties}
              placeholder='{"cart_id": "c1"}'
              onChange={(event) => updateEvent(row.key, { properties: event.target.value })}
              data-testid={`simulate-event-properties-${index}`}
            />
          </div>
        ))}
        <button type="button" className="btn" onClick={() => setEvents([...events, { key: nextRow++, after: "PT1H", name: "", properties: "{}" }])} data-testid="simulate-add-event">
          <Plus size={14} /> Add event
        </button>
        <div className="sim-actions">
          <button type="button" className="btn primary" onClick={() => void run()} disabled={busy} data-testid="simulate-run">
            {busy ? <Loader2 size={15} className="spin" /> : <FlaskConical size={15} />} Simulate
          </button>
          {result && (
            <button type="button" className="btn" onClick={clear} data-testid="simulate-clear">
              Clear
            </button>
          )}
        </div>
        {error && (
          <div className="sim-error" role="alert" data-testid="simulate-error">
            {error}
          </div>
        )}
        {result && (
          <div className="sim-result" data-testid="simulate-result">
            <div>
              <span className={`chip run-${result.status}`} data-testid="simulate-status">
                {result.status}
              </span>
              {result.reason && <span className="muted small"> {result.reason}</span>}
              {result.limit_reached && <span className="muted small"> (stopped at the simulation's bound)</span>}
            </div>
            {stale && (
              <div className="muted small sim-stale" data-testid="simulate-stale">
                The draft changed since this test run: simulate again to see the new path.
              </div>
            )}
            {result.error && (
              <div className="sim-error" data-testid="simulate-run-error">
                {result.error}
              </div>
            )}
            <div className="field-label">Path</div>
            <ol className="sim-path" data-testid="simulate-path">
              {result.path.map((id, index) => (
                <li key={`${index}-${id}`} data-testid="simulate-path-step">
                  {label(id)} <span className="muted mono small">{id}</span>
                </li>
              ))}
            </ol>
            <div className="field-label">Actions it would perform ({result.actions.length})</div>
            {result.actions.length === 0 && <div className="muted small">None</div>}
            {result.actions.map((action, index) => (
              <details className="sim-action" key={index} data-testid="simulate-action" open={index === 0}>
                <summary>
                  <span className="mono small sim-offset">{offsetLabel(result.started_at, action.at)}</span> <b>{label(action.node_id)}</b>{" "}
                  <span className="muted small">{action.type}</span>
                </summary>
                <pre className="mono small sim-params">{JSON.stringify(action.params, null, 2)}</pre>
              </details>
            ))}
          </div>
        )}
      </div>
    </aside>
  );
}
