import { Archive, Loader2, Pause, Play } from "lucide-react";
import { useState } from "react";

import { api } from "../api/client";
import { useEditor } from "../state/editor";
import { useUi } from "../state/ui";
import { ArchiveDialog } from "./ArchiveDialog";

/** Pause, resume and archive the journey from the editor's header; its status chip follows. */
export function LifecycleControls({ journeyKey }: { journeyKey: string }) {
  const status = useEditor((state) => state.journey?.status ?? "draft");
  const name = useEditor((state) => state.meta.name || journeyKey);
  const setJourneyInfo = useEditor((state) => state.setJourneyInfo);
  const toast = useUi((state) => state.toast);
  const [busy, setBusy] = useState(false);
  const [archiving, setArchiving] = useState(false);

  const change = async (verb: "pause" | "resume") => {
    setBusy(true);
    try {
      const summary = await (verb === "pause" ? api.pause(journeyKey) : api.resume(journeyKey));
      setJourneyInfo({ status: summary.status });
      toast("success", verb === "pause" ? "Paused: no new runs start" : "Resumed: new runs start again");
    } catch (caught) {
      toast("error", `Could not ${verb}: ${caught instanceof Error ? caught.message : String(caught)}`);
      // Refused: someone else may have changed the status meanwhile; show the current one.
      await api.getJourney(journeyKey).then(
        (detail) => setJourneyInfo({ status: detail.status }),
        () => undefined,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {status === "active" && (
        <button type="button" className="btn" onClick={() => void change("pause")} disabled={busy} title="Start no new runs; runs inside go on" data-testid="journey-pause">
          {busy ? <Loader2 size={15} className="spin" /> : <Pause size={15} />} Pause
        </button>
      )}
      {status === "paused" && (
        <button type="button" className="btn" onClick={() => void change("resume")} disabled={busy} title="Start new runs again" data-testid="journey-resume">
          {busy ? <Loader2 size={15} className="spin" /> : <Play size={15} />} Resume
        </button>
      )}
      {status !== "archived" && (
        <button type="button" className="btn icon danger" onClick={() => setArchiving(true)} title="Archive the journey" aria-label="Archive" data-testid="journey-archive">
          <Archive size={15} />
        </button>
      )}
      {archiving && (
        <ArchiveDialog
          journeyKey={journeyKey}
          name={name}
          onClose={() => setArchiving(false)}
          onArchived={() => {
            setArchiving(false);
            setJourneyInfo({ status: "archived" });
            toast("success", `Archived “${name}”`);
          }}
        />
      )}
    </>
  );
}
