import { Archive, Copy, FilePlus2, Plus, RefreshCw, Route } from "lucide-react";
import { useCallback, useEffect, useMemo, useState } from "react";

import { type JourneyListItem, api } from "../api/client";
import type { JourneyDocument } from "../api/document";
import { defaultConfig } from "../forms/schema";
import { ArchiveDialog } from "../lifecycle/ArchiveDialog";
import { DuplicateDialog } from "../lifecycle/DuplicateDialog";
import { keyProblem } from "../lifecycle/keys";
import "../lifecycle/lifecycle.css";
import { NodeIcon } from "../nodes/icons";
import type { Registry } from "../nodes/registry";
import { Dialog } from "../panels/Dialog";
import { useEditor } from "../state/editor";
import { useUi } from "../state/ui";

/** The example journeys of the repository (examples/*.json), offered as templates. */
const TEMPLATES: JourneyDocument[] = Object.values(
  import.meta.glob<JourneyDocument>("../../../examples/*.json", { eager: true, import: "default" }),
).sort((a, b) => a.name.localeCompare(b.name));

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64);
}

/** A new document: a copy of the template, or one trigger node (the registry's first trigger type). */
export function newDocument(key: string, name: string, template: JourneyDocument | null, registry: Registry): JourneyDocument {
  if (template !== null) return { ...structuredClone(template), key, name };
  const trigger = registry.types.find((spec) => spec.category === "trigger");
  const nodes = trigger ? [{ id: "start", type: trigger.type, name: "Start", config: defaultConfig(trigger.config_schema), position: { x: 0, y: 0 } }] : [];
  return { dsl_version: "1", key, name, nodes, edges: [] };
}

export function JourneysPage({ navigate }: { navigate: (path: string) => void }) {
  const [journeys, setJourneys] = useState<JourneyListItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [duplicating, setDuplicating] = useState<JourneyListItem | null>(null);
  const [archiving, setArchiving] = useState<JourneyListItem | null>(null);
  const toast = useUi((state) => state.toast);
  const taken = useMemo(() => new Set((journeys ?? []).map((journey) => journey.key)), [journeys]);

  const load = useCallback(
    () =>
      api
        .listJourneys()
        .then((listed) => {
          setError(null);
          setJourneys(listed);
        })
        .catch((failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure))),
    [],
  );
  useEffect(() => {
    void load();
  }, [load]);
  const refresh = () => void load();

  return (
    <div className="list-page" data-testid="journeys-page">
      <header className="topbar">
        <div className="brand">
          <Route size={18} /> Journey
        </div>
        <div className="spacer" />
        <button type="button" className="btn ghost" onClick={refresh} title="Refresh">
          <RefreshCw size={15} />
        </button>
        <button type="button" className="btn primary" onClick={() => setCreating(true)} data-testid="new-journey">
          <Plus size={15} /> New journey
        </button>
      </header>
      <main className="list-main">
        <h1>Journeys</h1>
        {error && <div className="error-box">Could not list journeys: {error}</div>}
        {journeys === null && !error && <p className="muted">Loading…</p>}
        {journeys !== null && journeys.length === 0 && (
          <div className="empty-state" data-testid="journeys-empty">
            <FilePlus2 size={32} />
            <p>No journeys yet. Start from scratch or from one of the examples.</p>
            <button type="button" className="btn primary" onClick={() => setCreating(true)}>
              <Plus size={15} /> New journey
            </button>
          </div>
        )}
        {journeys !== null && journeys.length > 0 && (
          <table className="journeys" data-testid="journeys-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Key</th>
                <th>Status</th>
                <th>Published version</th>
                <th>Runs in progress</th>
                <th>Updated</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {journeys.map((journey) => (
                <tr key={journey.key} onClick={() => navigate(`/journeys/${journey.key}`)} data-testid={`journey-row-${journey.key}`}>
                  <td className="strong">
                    <a
                      href={`/journeys/${journey.key}`}
                      onClick={(event) => {
                        event.preventDefault();
                        navigate(`/journeys/${journey.key}`);
                      }}
                    >
                      {journey.name}
                    </a>
                  </td>
                  <td className="mono muted">{journey.key}</td>
                  <td>
                    <span className={`chip ${journey.status}`}>{journey.status}</span>
                  </td>
                  <td>{journey.published_version ? `v${journey.published_version}` : <span className="muted">—</span>}</td>
                  <td data-testid="runs-in-progress">{journey.runs_in_progress}</td>
                  <td className="muted">{formatDate(journey.updated_at)}</td>
                  <td className="row-actions" onClick={(event) => event.stopPropagation()}>
                    <button type="button" className="btn icon ghost" onClick={() => setDuplicating(journey)} title="Duplicate as a new draft" aria-label="Duplicate" data-testid={`duplicate-${journey.key}`}>
                      <Copy size={15} />
                    </button>
                    {journey.status !== "archived" && (
                      <button type="button" className="btn icon ghost danger" onClick={() => setArchiving(journey)} title="Archive" aria-label="Archive" data-testid={`archive-${journey.key}`}>
                        <Archive size={15} />
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </main>
      {creating && <NewJourneyDialog onClose={() => setCreating(false)} navigate={navigate} taken={taken} />}
      {duplicating && (
        <DuplicateDialog
          journey={duplicating}
          taken={taken}
          onClose={() => setDuplicating(null)}
          onDuplicated={(key) => {
            setDuplicating(null);
            toast("success", `Duplicated “${duplicating.name}” as ${key}`);
            refresh();
          }}
        />
      )}
      {archiving && (
        <ArchiveDialog
          journeyKey={archiving.key}
          name={archiving.name}
          onClose={() => setArchiving(null)}
          onArchived={() => {
            setArchiving(null);
            toast("success", `Archived “${archiving.name}”`);
            refresh();
          }}
        />
      )}
    </div>
  );
}

function formatDate(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

function NewJourneyDialog({ onClose, navigate, taken }: { onClose: () => void; navigate: (path: string) => void; taken: Set<string> }) {
  const registry = useEditor((state) => state.registry);
  const toast = useUi((state) => state.toast);
  const [name, setName] = useState("");
  const [key, setKey] = useState("");
  const [keyTouched, setKeyTouched] = useState(false);
  const [template, setTemplate] = useState<JourneyDocument | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const effectiveKey = keyTouched ? key : slugify(name);
  const problem = useMemo(() => keyProblem(effectiveKey, taken), [effectiveKey, taken]);

  const create = async () => {
    if (problem !== null || name.trim() === "") return;
    setBusy(true);
    setError(null);
    try {
      const created = await api.createJourney(newDocument(effectiveKey, name.trim(), template, registry));
      toast("success", `Created “${name.trim()}”`);
      navigate(`/journeys/${created?.key ?? effectiveKey}`);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setBusy(false);
    }
  };

  return (
    <Dialog title="New journey" onClose={onClose} testId="new-journey-dialog" wide>
      <div className="two-cols">
        <div>
          <label className="field-label" htmlFor="new-name">
            Name
          </label>
          <input id="new-name" className="form-control" value={name} autoFocus placeholder="e.g. Welcome series" onChange={(event) => setName(event.target.value)} data-testid="new-journey-name" />
        </div>
        <div>
          <label className="field-label" htmlFor="new-key">
            Key
          </label>
          <input
            id="new-key"
            className="form-control mono"
            value={effectiveKey}
            onChange={(event) => {
              setKeyTouched(true);
              setKey(event.target.value);
            }}
            data-testid="new-journey-key"
          />
          {name !== "" && problem && <div className="error-detail">{problem}</div>}
        </div>
      </div>
      <div className="field-label">Start from</div>
      <div className="templates">
        <button type="button" className={`template${template === null ? " chosen" : ""}`} onClick={() => setTemplate(null)} data-testid="template-blank">
          <div className="template-name">
            <FilePlus2 size={15} /> Blank journey
          </div>
          <div className="template-desc">Just a trigger; add the steps yourself.</div>
        </button>
        {TEMPLATES.map((doc) => (
          <button type="button" key={doc.key} className={`template${template === doc ? " chosen" : ""}`} onClick={() => setTemplate(doc)} data-testid={`template-${doc.key}`}>
            <div className="template-name">
              <NodeIcon name="route" size={15} /> {doc.name}
            </div>
            <div className="template-desc">{typeof doc.description === "string" ? doc.description : ""}</div>
            <div className="template-meta muted small">{doc.nodes.length} steps</div>
          </button>
        ))}
      </div>
      {error && <div className="error-box">{error}</div>}
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="btn primary" onClick={() => void create()} disabled={busy || problem !== null || name.trim() === ""} data-testid="create-journey">
          Create
        </button>
      </div>
    </Dialog>
  );
}
