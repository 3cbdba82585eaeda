import { ArrowLeft, History, RotateCcw } from "lucide-react";

import { useUi } from "../state/ui";
import { publishedAt } from "./VersionsPanel";
import { backToDraft, restoreIntoDraft, useVersionView } from "./viewing";
import "./versions.css";

/** In the header while a version is on the canvas: what is shown, the way back, and restoring it. */
export function VersionBar() {
  const viewing = useVersionView((state) => state.viewing);
  const toast = useUi((state) => state.toast);
  if (viewing === null) return null;
  const restore = () => {
    const restored = restoreIntoDraft();
    if (restored !== null) toast("info", `Version ${restored} is in the draft now; save to keep it, or undo`);
  };
  return (
    <div className="toolbar version-bar" data-testid="version-bar">
      <span className="version-flag" data-testid="version-banner" title={viewing.message}>
        <History size={15} /> Version {viewing.version} — read only
      </span>
      <span className="muted small">published {publishedAt(viewing.created_at)}</span>
      <div className="divider" />
      <button type="button" className="btn" onClick={backToDraft} title="Show the draft again, as you left it" data-testid="version-back">
        <ArrowLeft size={15} /> Back to draft
      </button>
      <button type="button" className="btn primary" onClick={restore} title="Replace the draft with this version (undoable; saved when you save)" data-testid="version-restore">
        <RotateCcw size={15} /> Restore into draft
      </button>
    </div>
  );
}
