import { create } from "zustand";

import type { Highlight } from "../sim/highlight";

interface SimState {
  /** The path of the last test run, lit on the canvas; null shows the canvas as usual. */
  highlight: Highlight | null;
  setHighlight: (highlight: Highlight | null) => void;
}

/** The canvas overlay of a test run (kept out of the editor's undo history). */
export const useSim = create<SimState>()((set) => ({
  highlight: null,
  setHighlight: (highlight) => set({ highlight }),
}));
