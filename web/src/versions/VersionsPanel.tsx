import { Eye, Loader2, RefreshCw, X } from "lucide-react";
import { useCallback, useEffect, useState } from "react";

import { type VersionSummary, api } from "../api/client";
import { useEditor } from "../state/editor";
import { openVersion, useVersionView } from "./viewing";
import "./versions.css";

const words = (error: unknown) => (error instanceof Error ? error.message : String(error));
export const publishedAt = (value: string) => new Date(value).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

/** The journey's published versions, newest first; one opens read only on the canvas. */
export function VersionsPanel({ journeyKey, onClose, onOpened }: { journeyKey: string; onClose: () => void; onOpened: () => void }) {
  const live = useEditor((state) => state.journey?.publishedVersion ?? null);
  const viewing = useVersionView((state) => state.viewing?.version ?? null);
  const [versions, setVersions] = useState<VersionSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [opening, setOpening] = useState<number | null>(null);

  const load = useCallback(
    () =>
      api.listVersions(journeyKey).then(
        (listed) => {
          setVersions(listed);
          setError(null);
        },
        (caught: unknown) => setError(`Could not list the versions: ${words(caught)}`),
      ),
    [journeyKey],
  );
  useEffect(() => {
    void load();
  }, [load, live]);

  const open = async (version: number) => {
    setOpening(version);
    setError(null);
    try {
      openVersion(await api.getVersion(journeyKey, version));
      onOpened();
    } catch (caught) {
      setError(`Could not open version ${version}: ${words(caught)}`);
    } finally {
      setOpening(null);
    }
  };

  return (
    <aside className="inspector sim-panel" data-testid="versions-panel">
      <div className="inspector-body">
        <div className="sim-head">
          <div className="panel-title">Versions</div>
          <span>
            <button type="button" className="btn icon ghost" onClick={() => void load()} title="Refresh" data-testid="versions-refresh">
              <RefreshCw size={14} />
            </button>
            <button type="button" className="btn icon ghost" onClick={onClose} title="Close the versions" data-testid="versions-close">
              <X size={15} />
            </button>
          </span>
        </div>
        <p className="muted small">Each publish makes a version that never changes. Open one to look at it, or restore it into the draft.</p>
        {error && (
          <div className="sim-error" role="alert" data-testid="versions-error">
            {error}
          </div>
        )}
        {versions === null && !error && <p className="muted small">Loading…</p>}
        {versions !== null && versions.length === 0 && (
          <p className="muted small" data-testid="versions-empty">
            Nothing published yet.
          </p>
        )}
        <ol className="version-list">
          {(versions ?? []).map((item) => (
            <li key={item.version} className={`version-row${viewing === item.version ? " viewing" : ""}`} data-testid={`version-row-${item.version}`}>
              <div className="version-line">
                <b>Version {item.version}</b>
                {item.version === live && <span className="chip active">live</span>}
                <span className="spacer" />
                <button type="button" className="btn" onClick={() => void open(item.version)} disabled={opening !== null} data-testid={`version-open-${item.version}`}>
                  {opening === item.version ? <Loader2 size={14} className="spin" /> : <Eye size={14} />} Open
                </button>
              </div>
              <div className="version-message" data-testid="version-message">
                {item.message || <span className="muted">No note</span>}
              </div>
              <div className="muted small" data-testid="version-time">
                Published {publishedAt(item.created_at)}
                {item.author ? ` by ${item.author}` : ""}
              </div>
            </li>
          ))}
        </ol>
      </div>
    </aside>
  );
}
