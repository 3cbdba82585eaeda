import { FlaskConical, Loader2, Plus, Trash2, X } from "lucide-react";
import { useCallback, useEffect, useRef, useState } from "react";

import { ApiError, type SimulationRequest, type SimulationResult, api } from "../api/client";
import type { Issue } from "../api/document";
import { offsetLabel, parseObject, pathHighlight, pruneHighlight } from "../sim/highlight";
import { RERUN_DELAY_MS, simulationKey } from "../sim/rerun";
import { currentDocument, useEditor } from "../state/editor";
import { useSim } from "../state/sim";

interface EventRow {
  key: number;
  after: string;
  name: string;
  properties: string;
}

let nextRow = 1;

/** What the person typed for a test run: all of a simulation request but the journey. */
type TestInputs = Omit<SimulationRequest, "journey">;

const words = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Test run: the draft on a virtual clock (POST /simulate), its path lit on the canvas. After an
 * edit, the same test runs again by itself, so the lit path follows the draft. */
export function SimulatePanel({ onClose }: { onClose: () => void }) {
  const [user, setUser] = useState('{\n  "id": "user-1",\n  "email": "ada@example.com"\n}');
  const [input, setInput] = useState("{}");
  const [events, setEvents] = useState<EventRow[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<SimulationResult | null>(null);
  const [simulatedKey, setSimulatedKey] = useState<string | null>(null);
  const [rerunError, setRerunError] = useState<string | null>(null);
  const stale = useEditor((state) => simulatedKey !== null && simulationKey(currentDocument(state)) !== simulatedKey);
  const setHighlight = useSim((state) => state.setHighlight);
  /** The inputs of the test shown, repeated after edits; null when none is shown. */
  const shownInputs = useRef<TestInputs | null>(null);
  const lastKey = useRef<string | null>(null);
  const sequence = useRef(0);
  const nodes = useEditor((state) => state.nodes);

  const label = (id: string) => {
    const node = nodes.find((candidate) => candidate.id === id);
    return node && typeof node.data.fields.name === "string" && node.data.fields.name ? node.data.fields.name : id;
  };
  const updateEvent = (key: number, patch: Partial<EventRow>) => setEvents(events.map((row) => (row.key === key ? { ...row, ...patch } : row)));

  /** Simulate the current draft; a repeat after an edit (`again`) that fails keeps the last path
   * shown (less what the edit removed) and says why, instead of clearing the panel. */
  const simulate = useCallback(
    async (inputs: TestInputs, again: boolean) => {
      const mine = ++sequence.current;
      const doc = currentDocument();
      const key = simulationKey(doc);
      setBusy(true);
      try {
        const answer = await api.simulate({ ...inputs, journey: doc });
        if (mine !== sequence.current) return;
        lastKey.current = key;
        setResult(answer);
        setSimulatedKey(key);
        setRerunError(null);
        setHighlight(pathHighlight(answer.path, useEditor.getState().edges));
      } catch (caught) {
        if (mine !== sequence.current) return;
        const issues = caught instanceof ApiError && Array.isArray(caught.problem.issues) ? (caught.problem.issues as Issue[]) : [];
        if (issues.length > 0) useEditor.getState().setIssues(issues, JSON.stringify(doc));
        const errors = issues.filter((issue) => issue.severity === "error");
        const message =
          errors.length > 0
            ? `The journey has ${errors.length} error${errors.length === 1 ? "" : "s"} (marked on the steps): ${errors.map((issue) => issue.message).slice(0, 3).join("; ")}`
            : `Could not simulate: ${words(caught)}`;
        if (again) {
          lastKey.current = key;
          setRerunError(message);
          return;
        }
        shownInputs.current = null;
        setResult(null);
        setHighlight(null);
        setError(message);
      } finally {
        if (mine === sequence.current) setBusy(false);
      }
    },
    [setHighlight],
  );

  // Follow the draft: drop at once what an edit removed from the lit path, then test again.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = useEditor.subscribe((state, previous) => {
      if (state.nodes === previous.nodes && state.edges === previous.edges && state.meta === previous.meta) return;
      const highlight = useSim.getState().highlight;
      if (highlight !== null) {
        const pruned = pruneHighlight(highlight, state.nodes, state.edges);
        if (pruned !== highlight) useSim.getState().setHighlight(pruned);
      }
      if (shownInputs.current === null || simulationKey(currentDocument(state)) === lastKey.current) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (shownInputs.current !== null) void simulate(shownInputs.current, true);
      }, RERUN_DELAY_MS);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [simulate]);

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
    const inputs = { user: parsedUser.value, input: parsedInput.value, events: scripted } as TestInputs;
    shownInputs.current = inputs;
    await simulate(inputs, false);
  };

  const clear = () => {
    shownInputs.current = null;
    sequence.current++;
    setBusy(false);
    setRerunError(null);
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
            {stale && !rerunError && (
              <div className="muted small sim-stale" data-testid="simulate-stale">
                The draft changed: testing it again…
              </div>
            )}
            {rerunError && (
              <div className="sim-error" data-testid="simulate-rerun-error">
                The path shown is from before the last edit. {rerunError}
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
