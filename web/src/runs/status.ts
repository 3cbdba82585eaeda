/**
 * A run's steps as each node's live status on the canvas. Pure, so it is tested without a
 * browser or an engine. A node run more than once (a loop, a re-entered branch) shows its
 * latest record; `count` says how many there were.
 */
export type StepStatus = "running" | "waiting" | "completed" | "failed" | "cancelled";

export interface RunStep {
  node_id: string;
  status: StepStatus;
  started_at: string;
  finished_at?: string | null;
  attempts: number;
  output?: unknown;
  error?: string | null;
  waiting_until?: string | null;
  iteration?: number | null;
}

export interface RunLike {
  status: string;
  active_nodes?: string[];
  steps?: RunStep[];
  error?: string | null;
}

export interface NodeRunStatus {
  status: StepStatus;
  /** When a waiting node gives up waiting (its deadline), if it has one. */
  waitingUntil?: string;
  error?: string;
  attempts: number;
  count: number;
}

const ENDED = new Set(["completed", "failed", "cancelled", "exited", "timed_out"]);

export function runEnded(status: string): boolean {
  return ENDED.has(status);
}

export function nodeStatuses(run: RunLike): Map<string, NodeRunStatus> {
  const statuses = new Map<string, NodeRunStatus>();
  const steps = [...(run.steps ?? [])].map((step, index) => ({ step, index }));
  // Records come in order; sort stably by start time in case the engine interleaves branches.
  steps.sort((a, b) => Date.parse(a.step.started_at) - Date.parse(b.step.started_at) || a.index - b.index);
  for (const { step } of steps) {
    const count = (statuses.get(step.node_id)?.count ?? 0) + 1;
    const status: NodeRunStatus = { status: step.status, attempts: step.attempts, count };
    if (step.status === "waiting" && step.waiting_until) status.waitingUntil = step.waiting_until;
    if (step.error) status.error = step.error;
    statuses.set(step.node_id, status);
  }
  const ended = runEnded(run.status);
  for (const id of run.active_nodes ?? []) {
    // The engine names a node it is inside before the step record says so.
    if (!statuses.has(id) && !ended) statuses.set(id, { status: "running", attempts: 0, count: 0 });
  }
  if (ended) {
    // A run that ended leaves nothing running or waiting: a cancelled run cancels those steps.
    for (const [id, status] of statuses) {
      if (status.status === "running" || status.status === "waiting") {
        statuses.set(id, { ...status, status: run.status === "failed" ? "failed" : "cancelled", waitingUntil: undefined });
      }
    }
  }
  return statuses;
}

/** The node ids in the order the run entered them (for the path on the canvas). */
export function runPath(run: RunLike): string[] {
  return [...(run.steps ?? [])]
    .map((step, index) => ({ step, index }))
    .sort((a, b) => Date.parse(a.step.started_at) - Date.parse(b.step.started_at) || a.index - b.index)
    .map(({ step }) => step.node_id);
}

/** The trigger's properties a run started with (its first step's output), to run it again. */
export function runInput(run: RunLike, triggerIds?: ReadonlySet<string>): Record<string, unknown> | null {
  const ordered = runPath(run);
  const steps = run.steps ?? [];
  const first = triggerIds ? ordered.find((id) => triggerIds.has(id)) : ordered[0];
  const step = steps.find((candidate) => candidate.node_id === first);
  const output = step?.output;
  if (typeof output !== "object" || output === null || Array.isArray(output)) return null;
  const properties = (output as Record<string, unknown>).properties;
  return typeof properties === "object" && properties !== null && !Array.isArray(properties) ? (properties as Record<string, unknown>) : null;
}
