import { create } from "zustand";

interface StatsOverlayState {
  /** Whether the canvas shows each node's run counts; off until the person turns it on. */
  shown: boolean;
  setShown: (shown: boolean) => void;
}

/** The stats overlay's switch, shared by the toolbar button, the canvas notice and the nodes. */
export const useStatsOverlay = create<StatsOverlayState>()((set) => ({
  shown: false,
  setShown: (shown) => set({ shown }),
}));
