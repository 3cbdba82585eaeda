import { useJourneyStats } from "../api/queries";
import { useEditor } from "../state/editor";
import { useStatsOverlay } from "./store";

/** The open journey's stats of its published version, polled while the overlay is shown. */
export function useCanvasStats() {
  const key = useEditor((state) => state.journey?.key ?? "");
  const version = useEditor((state) => state.journey?.publishedVersion ?? null);
  const shown = useStatsOverlay((state) => state.shown);
  return { shown, version, query: useJourneyStats(key, version, shown && key !== "") };
}
