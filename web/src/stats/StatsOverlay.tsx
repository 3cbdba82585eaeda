/**
 * The "Stats" overlay: a toolbar switch, a notice on the canvas saying what is counted (or why
 * nothing is), and each node's badges: runs that entered it, are there now, failed there.
 */
import { BarChart3, Loader2 } from "lucide-react";
import { useEffect } from "react";

import "./stats.css";
import { STATS_REFRESH_MS } from "../api/queries";
import { countsOf, statsSummary } from "./counts";
import { useStatsOverlay } from "./store";
import { useCanvasStats } from "./useStats";

export function StatsToggle() {
  const shown = useStatsOverlay((state) => state.shown);
  const setShown = useStatsOverlay((state) => state.setShown);
  // The switch belongs to one open journey: leaving the editor turns it off.
  useEffect(() => () => setShown(false), [setShown]);
  return (
    <button
      type="button"
      className={`btn${shown ? " pressed" : ""}`}
      onClick={() => setShown(!shown)}
      aria-pressed={shown}
      title="Show on each step how many runs of the published version entered it, are there now and failed there"
      data-testid="stats-toggle"
    >
      <BarChart3 size={15} /> Stats
    </button>
  );
}

export function StatsNotice() {
  const { shown, version, query } = useCanvasStats();
  if (!shown) return null;
  let text;
  if (version === null) text = <span data-testid="stats-unpublished">No stats yet: the journey is not published, and stats count the runs of its published version.</span>;
  else if (query.error) text = <span className="stats-error">Could not load the stats: {query.error.message}</span>;
  else if (query.data === undefined) text = <Loader2 size={13} className="spin" />;
  else
    text = (
      <span data-testid="stats-summary">
        {statsSummary(query.data)} · updated every {STATS_REFRESH_MS / 1000} s
      </span>
    );
  return (
    <div className="stats-notice" role="status" data-testid="stats-notice">
      {text}
    </div>
  );
}

export function NodeStatsBadges({ nodeId }: { nodeId: string }) {
  const { shown, query } = useCanvasStats();
  const counts = shown ? countsOf(query.data, nodeId) : null;
  if (counts === null) return null;
  return (
    <div className="jn-stats" data-testid={`node-stats-${nodeId}`}>
      <span className="jn-stat" title={`${counts.entered} run${counts.entered === 1 ? "" : "s"} entered this step`} data-testid={`node-stats-${nodeId}-entered`}>
        {counts.entered} in
      </span>
      <span className="jn-stat now" title={`${counts.now} run${counts.now === 1 ? " is" : "s are"} here now`} data-testid={`node-stats-${nodeId}-now`}>
        {counts.now} now
      </span>
      <span
        className={`jn-stat fail${counts.failed > 0 ? " failed" : ""}`}
        title={`${counts.failed} run${counts.failed === 1 ? "" : "s"} failed here`}
        data-testid={`node-stats-${nodeId}-failed`}
      >
        {counts.failed} failed
      </span>
    </div>
  );
}
