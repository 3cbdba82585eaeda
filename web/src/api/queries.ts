/**
 * The designer's server state through @tanstack/react-query: every query key in one place, the
 * queries and mutations built on `api`, and what each mutation makes stale. Runs and stats change
 * on the server by themselves (a worker moves runs on), so stats poll while they are shown.
 */
import { QueryClient, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api } from "./client";

/** How often the canvas's per-node stats are fetched again while they are shown. */
export const STATS_REFRESH_MS = 5000;

export const queryKeys = {
  /** Everything about one journey's runs: its run list and its stats. */
  journeyRuns: (journey: string) => ["journey-runs", journey] as const,
  runList: (journey: string) => ["journey-runs", journey, "list"] as const,
  stats: (journey: string, version: number) => ["journey-runs", journey, "stats", version] as const,
  run: (runId: string) => ["run", runId] as const,
};

export function createQueryClient(): QueryClient {
  // The API is on the same host: a failed call is worth one retry, not three; a tab coming back
  // into focus does not need to fetch everything again.
  return new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });
}

export const runListQuery = (journey: string) => queryOptions({ queryKey: queryKeys.runList(journey), queryFn: () => api.listRuns(journey) });

export const runQuery = (runId: string) => queryOptions({ queryKey: queryKeys.run(runId), queryFn: () => api.getRun(runId), staleTime: 0 });

/** The per-node counts of one published version, polled while `shown`; no version, no query. */
export const statsQuery = (journey: string, version: number | null, shown: boolean) =>
  queryOptions({
    queryKey: queryKeys.stats(journey, version ?? 0),
    queryFn: () => api.journeyStats(journey, version ?? undefined),
    enabled: shown && version !== null,
    refetchInterval: shown ? STATS_REFRESH_MS : false,
  });

/** A run started, ended or was cancelled: the journey's run list and stats are out of date. */
export async function runsChanged(client: QueryClient, journey: string, runId?: string): Promise<void> {
  await Promise.all([
    client.invalidateQueries({ queryKey: queryKeys.journeyRuns(journey) }),
    ...(runId === undefined ? [] : [client.invalidateQueries({ queryKey: queryKeys.run(runId) })]),
  ]);
}

export const useRunList = (journey: string) => useQuery(runListQuery(journey));

export const useJourneyStats = (journey: string, version: number | null, shown: boolean) => useQuery(statsQuery(journey, version, shown));

export function useStartRun(journey: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, input }: { userId: string; input: Record<string, unknown> }) => api.startRun(journey, userId, input),
    onSuccess: (run) => runsChanged(client, journey, run.run_id),
  });
}

export function useCancelRun(journey: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (runId: string) => api.cancelRun(runId),
    onSuccess: (_answer, runId) => runsChanged(client, journey, runId),
  });
}
