import { create } from "zustand";

import type { NodeRunStatus } from "../runs/status";
import type { Highlight } from "../sim/highlight";

interface SimState {
  /** The path of the last test run (or the watched run), lit on the canvas; null shows the canvas as usual. */
  highlight: Highlight | null;
  setHighlight: (highlight: Highlight | null) => void;
  /** Each node's status in the watched run; null when no run is watched. */
  runStatus: Map<string, NodeRunStatus> | null;
  setRunStatus: (runStatus: Map<string, NodeRunStatus> | null) => void;
}

/** The canvas overlays of a test run and of a watched run (kept out of the editor's undo history). */
export const useSim = create<SimState>()((set) => ({
  highlight: null,
  setHighlight: (highlight) => set({ highlight }),
  runStatus: null,
  setRunStatus: (runStatus) => set({ runStatus }),
}));
