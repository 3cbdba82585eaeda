import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { Activity, ArrowLeft, Braces, FlaskConical, History, LayoutGrid, Loader2, Redo2, Rocket, Save, Undo2 } from "lucide-react";
import { useCallback, useEffect, useRef, useState } from "react";
import { useStore } from "zustand";

import { ApiError, api } from "../api/client";
import { Canvas } from "../canvas/Canvas";
import { toDocument } from "../canvas/convert";
import { tidyLayout } from "../canvas/layout";
import { JsonView } from "../json/JsonView";
import { AddFrameButton, AddNoteButton } from "../notes/AddAnnotationButtons";
import { LifecycleControls } from "../lifecycle/LifecycleControls";
import { Dialog } from "../panels/Dialog";
import { Inspector } from "../panels/Inspector";
import { Palette } from "../panels/Palette";
import { ProblemsPanel } from "../panels/ProblemsPanel";
import { RunsPanel } from "../panels/RunsPanel";
import { SimulatePanel } from "../panels/SimulatePanel";
import { KeyboardTools } from "../shortcuts/KeyboardTools";
import { isEditable, matchesShortcut } from "../shortcuts/shortcuts";
import { StatsToggle } from "../stats/StatsOverlay";
import { CLIPBOARD_MIME, copySelection, currentDocument, duplicateSelection, parseClipboard, redo, undo, useEditor } from "../state/editor";
import { useSim } from "../state/sim";
import { useUi } from "../state/ui";
import { VersionBar } from "../versions/VersionBar";
import { VersionsPanel } from "../versions/VersionsPanel";
import { isViewingVersion, leaveVersionView, useVersionView } from "../versions/viewing";

export function EditorPage({ journeyKey, navigate }: { journeyKey: string; navigate: (path: string) => void }) {
  const [state, setState] = useState<"loading" | "ready" | string>("loading");
  useEffect(() => {
    let live = true;
    api
      .getJourney(journeyKey)
      .then((detail) => {
        if (!live) return;
        useEditor.getState().load(detail);
        setState("ready");
      })
      .catch((error: unknown) => live && setState(error instanceof Error ? error.message : String(error)));
    return () => {
      live = false;
    };
  }, [journeyKey]);
  if (state === "loading") return <div className="page-message">Loading {journeyKey}…</div>;
  if (state !== "ready")
    return (
      <div className="page-message" data-testid="load-error">
        <p>Could not open journey “{journeyKey}”: {state}</p>
        <button type="button" className="btn" onClick={() => navigate("/")}>
          Back to journeys
        </button>
      </div>
    );
  return (
    <ReactFlowProvider>
      <Editor journeyKey={journeyKey} navigate={navigate} />
    </ReactFlowProvider>
  );
}

function useValidation(): boolean {
  const [checking, setChecking] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let sequence = 0;
    const run = () => {
      const state = useEditor.getState();
      const doc = currentDocument(state);
      const json = JSON.stringify(doc);
      if (json === state.validatedJson) return;
      const mine = ++sequence;
      setChecking(true);
      api
        .validate(doc)
        .then((result) => mine === sequence && useEditor.getState().setIssues(result.issues, json))
        .catch(() => undefined)
        .finally(() => mine === sequence && setChecking(false));
    };
    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(run, 350);
    };
    const unsubscribe = useEditor.subscribe((state, previous) => {
      if (state.nodes !== previous.nodes || state.edges !== previous.edges || state.meta !== previous.meta || state.annotations !== previous.annotations) schedule();
    });
    schedule();
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, []);
  return checking;
}

function Editor({ journeyKey, navigate }: { journeyKey: string; navigate: (path: string) => void }) {
  const toast = useUi((state) => state.toast);
  const journey = useEditor((state) => state.journey);
  const meta = useEditor((state) => state.meta);
  const revision = useEditor((state) => state.revision);
  const draftPutAsideDirty = useVersionView((state) => state.stash?.draftDirty ?? false);
  const dirty = useEditor((state) => JSON.stringify(toDocument(state)) !== state.savedJson) || draftPutAsideDirty;
  const errorCount = useEditor((state) => state.issues.filter((issue) => issue.severity === "error").length + state.loadErrors.length);
  const validated = useEditor((state) => state.validatedJson !== null);
  const canUndo = useStore(useEditor.temporal, (state) => state.pastStates.length > 0);
  const canRedo = useStore(useEditor.temporal, (state) => state.futureStates.length > 0);
  const checking = useValidation();
  const { fitView } = useReactFlow();
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState(false);
  const [publishing, setPublishing] = useState<"closed" | "open" | "busy">("closed");
  const [message, setMessage] = useState("");
  const [side, setSide] = useState<"inspector" | "simulate" | "runs" | "versions">("inspector");
  const viewingVersion = useVersionView((state) => state.viewing !== null);
  const [jsonOpen, setJsonOpen] = useState(false);
  useEffect(() => () => useSim.setState({ highlight: null, runStatus: null }), []);
  useEffect(() => leaveVersionView, []);
  const toggleSide = (panel: "simulate" | "runs" | "versions") => {
    useSim.setState({ highlight: null, runStatus: null });
    setSide(side === panel ? "inspector" : panel);
  };
  const closeSide = () => {
    useSim.setState({ highlight: null, runStatus: null });
    setSide("inspector");
  };
  const saveRef = useRef<() => Promise<boolean>>(async () => false);

  const save = useCallback(
    async (revisionOverride?: number): Promise<boolean> => {
      if (isViewingVersion()) {
        toast("info", "A published version is read only: go back to the draft, or restore the version into it, to save");
        return false;
      }
      const state = useEditor.getState();
      const doc = currentDocument(state);
      const json = JSON.stringify(doc);
      setSaving(true);
      try {
        let detail = await api.saveJourney(journeyKey, doc, revisionOverride ?? state.revision);
        if (typeof detail?.revision !== "number") detail = await api.getJourney(journeyKey);
        useEditor.getState().markSaved(detail, json);
        if (Array.isArray(detail.issues)) useEditor.getState().setIssues(detail.issues, json);
        toast("success", "Saved");
        return true;
      } catch (error) {
        if (error instanceof ApiError && error.status === 412) setConflict(true);
        else toast("error", `Could not save: ${error instanceof Error ? error.message : String(error)}`);
        return false;
      } finally {
        setSaving(false);
      }
    },
    [journeyKey, toast],
  );
  useEffect(() => {
    saveRef.current = () => save();
  }, [save]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (matchesShortcut("save", event)) {
        event.preventDefault();
        void saveRef.current();
        return;
      }
      if (isEditable(event.target)) return;
      if (matchesShortcut("undo", event)) {
        event.preventDefault();
        undo();
      } else if (matchesShortcut("redo", event)) {
        event.preventDefault();
        redo();
      } else if (matchesShortcut("duplicate", event)) {
        event.preventDefault();
        if (!isViewingVersion()) duplicateSelection();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  // Copy, cut and paste steps, also between journeys and browser tabs (the clipboard holds JSON).
  useEffect(() => {
    const copyTo = (event: ClipboardEvent): number => {
      if (isEditable(event.target) || event.clipboardData === null) return 0;
      const clip = copySelection(useEditor.getState());
      if (clip === null) return 0;
      const text = JSON.stringify(clip, null, 2);
      event.clipboardData.setData("text/plain", text);
      event.clipboardData.setData(CLIPBOARD_MIME, text);
      event.preventDefault();
      return clip.nodes.length;
    };
    const steps = (count: number) => `${count} step${count === 1 ? "" : "s"}`;
    const onCopy = (event: ClipboardEvent) => {
      const copied = copyTo(event);
      if (copied > 0) toast("info", `Copied ${steps(copied)}`);
    };
    const onCut = (event: ClipboardEvent) => {
      if (isViewingVersion()) return;
      const cut = copyTo(event);
      if (cut === 0) return;
      useEditor.getState().deleteSelected();
      toast("info", `Cut ${steps(cut)}`);
    };
    const onPaste = (event: ClipboardEvent) => {
      if (isEditable(event.target) || event.clipboardData === null || isViewingVersion()) return;
      const clip = parseClipboard(event.clipboardData.getData(CLIPBOARD_MIME) || event.clipboardData.getData("text/plain"));
      if (clip === null) return;
      event.preventDefault();
      useEditor.getState().paste(clip);
    };
    document.addEventListener("copy", onCopy);
    document.addEventListener("cut", onCut);
    document.addEventListener("paste", onPaste);
    return () => {
      document.removeEventListener("copy", onCopy);
      document.removeEventListener("cut", onCut);
      document.removeEventListener("paste", onPaste);
    };
  }, [toast]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const tidy = async () => {
    const { nodes, edges, setPositions } = useEditor.getState();
    setPositions(await tidyLayout(nodes, edges));
    setTimeout(() => void fitView({ padding: 0.2, duration: 300, maxZoom: 1.1 }), 50);
  };

  const reloadTheirs = async () => {
    setConflict(false);
    useEditor.getState().load(await api.getJourney(journeyKey));
    toast("info", "Loaded the latest saved version");
  };
  const overwrite = async () => {
    setConflict(false);
    const latest = await api.getJourney(journeyKey);
    await save(latest.revision);
  };

  const publish = async () => {
    setPublishing("busy");
    try {
      if (dirty && !(await save())) {
        setPublishing("open");
        return;
      }
      const result = await api.publish(journeyKey, message);
      const status = useEditor.getState().journey?.status;
      useEditor.getState().setJourneyInfo({ publishedVersion: result.version, status: status === "draft" ? "active" : status });
      toast("success", `Published version ${result.version}`);
      setPublishing("closed");
      setMessage("");
    } catch (error) {
      if (error instanceof ApiError && Array.isArray(error.problem.issues)) {
        useEditor.getState().setIssues(error.problem.issues, JSON.stringify(currentDocument()));
      }
      toast("error", `Could not publish: ${error instanceof Error ? error.message : String(error)}`);
      setPublishing("open");
    }
  };

  const blocked = errorCount > 0;
  return (
    <div className="editor" data-testid="editor">
      <header className="topbar">
        <button
          type="button"
          className="btn ghost"
          onClick={() => (!dirty || window.confirm("Leave without saving? Your changes to this draft will be lost.")) && navigate("/")}
          data-testid="back"
        >
          <ArrowLeft size={15} /> Journeys
        </button>
        <div className="divider" />
        <div className="title-block">
          <div className="journey-title" data-testid="journey-title">
            {meta.name || journeyKey}
          </div>
          <div className="muted small">
            <span className={`chip ${journey?.status ?? "draft"}`} data-testid="journey-status">
              {journey?.status ?? "draft"}
            </span>
            {journey?.publishedVersion ? <span data-testid="published-version"> v{journey.publishedVersion} live</span> : <span> never published</span>}
            <span className="dot">·</span>
            <span data-testid="save-state">{saving ? "Saving…" : dirty ? "Unsaved changes" : `Saved (revision ${revision ?? "-"})`}</span>
          </div>
        </div>
        <LifecycleControls journeyKey={journeyKey} />
        <div className="spacer" />
        {viewingVersion ? <VersionBar /> : <div className="toolbar">
          <button type="button" className="btn icon" onClick={undo} disabled={!canUndo} title="Undo (Ctrl+Z)" data-testid="undo">
            <Undo2 size={16} />
          </button>
          <button type="button" className="btn icon" onClick={redo} disabled={!canRedo} title="Redo (Ctrl+Shift+Z)" data-testid="redo">
            <Redo2 size={16} />
          </button>
          <KeyboardTools onGoTo={closeSide} />
          <button type="button" className="btn" onClick={() => void tidy()} title="Lay the steps out from left to right" data-testid="tidy">
            <LayoutGrid size={15} /> Tidy up
          </button>
          <AddNoteButton />
          <AddFrameButton />
          <button type="button" className={`btn${jsonOpen ? " pressed" : ""}`} onClick={() => setJsonOpen(!jsonOpen)} title="View and edit the document as JSON" data-testid="json-open">
            <Braces size={15} /> JSON
          </button>
          <button
            type="button"
            className={`btn${side === "simulate" ? " pressed" : ""}`}
            onClick={() => toggleSide("simulate")}
            title="Try the draft with a sample user and events, nothing sent"
            data-testid="simulate-open"
          >
            <FlaskConical size={15} /> Test run
          </button>
          <button
            type="button"
            className={`btn${side === "runs" ? " pressed" : ""}`}
            onClick={() => toggleSide("runs")}
            title="Start runs of the published version and watch them"
            data-testid="runs-open"
          >
            <Activity size={15} /> Runs
          </button>
          <button
            type="button"
            className={`btn${side === "versions" ? " pressed" : ""}`}
            onClick={() => toggleSide("versions")}
            title="The published versions: look at one, or restore it into the draft"
            data-testid="versions-open"
          >
            <History size={15} /> Versions
          </button>
          <StatsToggle />
          <div className="divider" />
          <button type="button" className="btn" onClick={() => void save()} disabled={saving} title="Save the draft (Ctrl+S)" data-testid="save">
            {saving ? <Loader2 size={15} className="spin" /> : <Save size={15} />} Save
          </button>
          <span className="publish-wrap" title={blocked ? `Fix ${errorCount} error${errorCount === 1 ? "" : "s"} to publish` : "Publish a new version"}>
            <button type="button" className="btn primary" onClick={() => setPublishing("open")} disabled={blocked || !validated} data-testid="publish">
              <Rocket size={15} /> Publish
            </button>
          </span>
        </div>}
      </header>
      <div className="workspace">
        <Palette />
        <main className="centre">
          {blocked && (
            <div className="blocked-note" data-testid="publish-blocked">
              {errorCount} error{errorCount === 1 ? "" : "s"} block publishing: see Problems below.
            </div>
          )}
          <Canvas />
          {jsonOpen && !viewingVersion && <JsonView journeyKey={journeyKey} onClose={() => setJsonOpen(false)} />}
          <ProblemsPanel checking={checking} />
        </main>
        {side === "simulate" ? (
          <SimulatePanel onClose={closeSide} />
        ) : side === "runs" ? (
          <RunsPanel journeyKey={journeyKey} onClose={closeSide} />
        ) : side === "versions" ? (
          <VersionsPanel journeyKey={journeyKey} onClose={closeSide} onOpened={closeSide} />
        ) : (
          <Inspector />
        )}
      </div>
      {conflict && (
        <Dialog title="Someone else saved this journey" onClose={() => setConflict(false)} testId="conflict-dialog">
          <p>The draft changed since you opened it, so your save was not applied. Nothing was overwritten.</p>
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={() => setConflict(false)}>
              Cancel
            </button>
            <button type="button" className="btn" onClick={() => void reloadTheirs()} data-testid="conflict-reload">
              Discard mine, load theirs
            </button>
            <button type="button" className="btn danger" onClick={() => void overwrite()} data-testid="conflict-overwrite">
              Overwrite with mine
            </button>
          </div>
        </Dialog>
      )}
      {publishing !== "closed" && (
        <Dialog title={`Publish “${meta.name || journeyKey}”`} onClose={() => setPublishing("closed")} testId="publish-dialog">
          <p className="muted">
            Publishing makes version {(journey?.publishedVersion ?? 0) + 1} from the draft{dirty ? " (after saving it)" : ""}. Runs already inside keep their version.
          </p>
          <label className="field-label" htmlFor="publish-message">
            What changed?
          </label>
          <input
            id="publish-message"
            className="form-control"
            value={message}
            autoFocus
            placeholder="e.g. Shorter subject line"
            onChange={(event) => setMessage(event.target.value)}
            onKeyDown={(event) => event.key === "Enter" && void publish()}
            data-testid="publish-message"
          />
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={() => setPublishing("closed")}>
              Cancel
            </button>
            <button type="button" className="btn primary" onClick={() => void publish()} disabled={publishing === "busy"} data-testid="publish-confirm">
              {publishing === "busy" ? <Loader2 size={15} className="spin" /> : <Rocket size={15} />} Publish
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}
