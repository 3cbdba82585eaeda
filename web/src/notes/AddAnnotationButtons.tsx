import { useStoreApi } from "@xyflow/react";
import { Frame, StickyNote } from "lucide-react";

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

/** The toolbar's "Frame": a labelled group frame around the selected steps. */
export function AddFrameButton() {
  const stepsSelected = useEditor((state) => state.nodes.some((node) => node.selected));
  return (
    <button
      type="button"
      className="btn"
      onClick={() => useEditor.getState().addFrame()}
      disabled={!stepsSelected}
      title={stepsSelected ? "Draw a labelled frame around the selected steps" : "Select steps to frame them"}
      data-testid="add-frame"
    >
      <Frame size={15} /> Frame
    </button>
  );
}
