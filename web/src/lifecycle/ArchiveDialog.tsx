import { Archive, Loader2 } from "lucide-react";
import { useState } from "react";

import { api } from "../api/client";
import { Dialog } from "../panels/Dialog";

/** Asks before archiving a journey (it cannot be undone) and shows the API's refusal in words. */
export function ArchiveDialog({ journeyKey, name, onClose, onArchived }: { journeyKey: string; name: string; onClose: () => void; onArchived: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const archive = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.archive(journeyKey);
      onArchived();
    } catch (caught) {
      setError(`Could not archive: ${caught instanceof Error ? caught.message : String(caught)}`);
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Archive “${name}”?`} onClose={onClose} testId="archive-dialog">
      <p>An archived journey starts no new runs and can no longer be edited, published or resumed. Runs already inside go on. This cannot be undone; the key stays taken.</p>
      {error && (
        <div className="error-box" role="alert" data-testid="archive-error">
          {error}
        </div>
      )}
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="btn danger" onClick={() => void archive()} disabled={busy} data-testid="archive-confirm">
          {busy ? <Loader2 size={15} className="spin" /> : <Archive size={15} />} Archive
        </button>
      </div>
    </Dialog>
  );
}
