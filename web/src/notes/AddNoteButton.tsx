import { useStoreApi } from "@xyflow/react";
import { StickyNote } from "lucide-react";

import { useEditor } from "../state/editor";
import { NEW_NOTE_SIZE } from "./annotation";

/** The toolbar's "Note": a new empty sticky note in the middle of what the canvas shows. */
export function AddNoteButton() {
  const flow = useStoreApi();
  const add = () => {
    const { width, height, transform } = flow.getState();
    const [x, y, zoom] = transform;
    const count = useEditor.getState().annotations?.length ?? 0;
    const nudge = (count % 5) * 20;
    useEditor.getState().addNote({
      x: (width / 2 - x) / zoom - NEW_NOTE_SIZE.width / 2 + nudge,
      y: (height / 2 - y) / zoom - NEW_NOTE_SIZE.height / 2 + nudge,
    });
  };
  return (
    <button type="button" className="btn" onClick={add} title="Add a sticky note to the canvas" data-testid="add-note">
      <StickyNote size={15} /> Note
    </button>
  );
}
