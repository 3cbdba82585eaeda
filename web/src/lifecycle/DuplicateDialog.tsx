import { Copy, Loader2 } from "lucide-react";
import { useMemo, useState } from "react";

import { type JourneyListItem, api } from "../api/client";
import { Dialog } from "../panels/Dialog";
import { copyKey, keyProblem } from "./keys";

/** Copies a journey's draft under a new key and name: a new journey, in status draft. */
export function DuplicateDialog({ journey, taken, onClose, onDuplicated }: { journey: JourneyListItem; taken: Set<string>; onClose: () => void; onDuplicated: (key: string) => void }) {
  const [name, setName] = useState(`${journey.name} (copy)`);
  const [key, setKey] = useState(() => copyKey(journey.key, taken));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const problem = useMemo(() => keyProblem(key, taken), [key, taken]);

  const duplicate = async () => {
    if (problem !== null || name.trim() === "") return;
    setBusy(true);
    setError(null);
    try {
      const source = await api.getJourney(journey.key);
      await api.createJourney({ ...source.draft, key, name: name.trim() });
      onDuplicated(key);
    } catch (caught) {
      setError(`Could not duplicate: ${caught instanceof Error ? caught.message : String(caught)}`);
      setBusy(false);
    }
  };

  return (
    <Dialog title={`Duplicate “${journey.name}”`} onClose={onClose} testId="duplicate-dialog">
      <p className="muted">The copy starts as a draft with this journey’s current draft; its versions and runs stay with the original.</p>
      <div className="two-cols">
        <div>
          <label className="field-label" htmlFor="copy-name">
            Name
          </label>
          <input id="copy-name" className="form-control" value={name} autoFocus onChange={(event) => setName(event.target.value)} data-testid="duplicate-name" />
        </div>
        <div>
          <label className="field-label" htmlFor="copy-key">
            Key
          </label>
          <input id="copy-key" className="form-control mono" value={key} onChange={(event) => setKey(event.target.value)} data-testid="duplicate-key" />
          {problem && <div className="error-detail">{problem}</div>}
        </div>
      </div>
      {error && (
        <div className="error-box" role="alert" data-testid="duplicate-error">
          {error}
        </div>
      )}
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="btn primary" onClick={() => void duplicate()} disabled={busy || problem !== null || name.trim() === ""} data-testid="duplicate-confirm">
          {busy ? <Loader2 size={15} className="spin" /> : <Copy size={15} />} Duplicate
        </button>
      </div>
    </Dialog>
  );
}
