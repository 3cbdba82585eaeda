/**
 * The designer's calls to the API, typed by the generated OpenAPI types (`schema.d.ts`, from
 * `openapi.json`, both rewritten by `make web-types`). Errors arrive as problem+json and are
 * thrown as `ApiError`, carrying the status, the problem's detail and its DSL `issues`.
 */
import createClient from "openapi-fetch";

import type { Issue, JourneyDocument, JsonObject } from "./document";
import type { NodeTypeSpec } from "../nodes/registry";
import type { components, paths } from "./schema";

type Schemas = components["schemas"];

export type JourneySummary = Schemas["JourneySummary"];
export type JourneyListItem = Schemas["JourneyListItem"];
export type VersionSummary = Schemas["VersionSummary"];
/** A published version as `GET /journeys/{key}/versions/{n}` answers, its document read as a journey document. */
export type VersionDetail = Omit<Schemas["VersionDetail"], "document"> & { document: JourneyDocument };
export type RunView = Schemas["RunView"];
export type RunSummary = Schemas["RunSummary"];
export type SimulationResult = Schemas["SimulationResult"];
export type JourneyStats = Schemas["JourneyStats"];
export type NodeStats = Schemas["NodeStats"];
export type SimulationRequest = Omit<Schemas["SimulationRequest"], "journey"> & { journey: JourneyDocument };
/** A journey as `GET /journeys/{key}` answers, its draft read as a journey document. */
export type JourneyDetail = Omit<Schemas["JourneyDetail"], "draft" | "issues" | "created_at" | "updated_at"> & {
  draft: JourneyDocument;
  issues: Issue[];
};

const client = createClient<paths>({ baseUrl: "" });

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  issues?: Issue[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.status = problem.status;
    this.problem = problem;
  }
}

async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (error) {
    throw new ApiError({ status: 0, title: "Network error", detail: `The API cannot be reached (${String(error)})` });
  }
  if (!result.response.ok || result.error !== undefined) {
    const problem = typeof result.error === "object" && result.error !== null ? (result.error as Partial<Problem>) : {};
    throw new ApiError({ ...problem, status: result.response.status });
  }
  return result.data as T;
}

const asDetail = (detail: Schemas["JourneyDetail"]) => detail as unknown as JourneyDetail;
const asBody = (doc: JourneyDocument) => doc as unknown as Record<string, Schemas["JsonValue"]>;

export const api = {
  nodeTypes: async () => (await unwrap(client.GET("/api/v1/node-types"))) as unknown as NodeTypeSpec[],

  documentSchema: async () => (await unwrap(client.GET("/api/v1/schema"))) as JsonObject,

  validate: (doc: JourneyDocument) => unwrap(client.POST("/api/v1/validate", { body: asBody(doc) })),

  listJourneys: async (): Promise<JourneyListItem[]> => {
    const all: JourneyListItem[] = [];
    let cursor: string | null | undefined = undefined;
    do {
      const page: Schemas["Page_JourneyListItem_"] = await unwrap(client.GET("/api/v1/journeys", { params: { query: { limit: 500, cursor } } }));
      all.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor && all.length < 5000);
    return all;
  },

  createJourney: async (doc: JourneyDocument) => asDetail(await unwrap(client.POST("/api/v1/journeys", { body: asBody(doc) }))),

  getJourney: async (key: string) => asDetail(await unwrap(client.GET("/api/v1/journeys/{key}", { params: { path: { key } } }))),

  /** Save the draft; with a revision, only over that revision (else 412, nothing written). */
  saveJourney: async (key: string, doc: JourneyDocument, revision: number | null) =>
    asDetail(
      await unwrap(
        client.PUT("/api/v1/journeys/{key}", {
          params: { path: { key }, header: revision === null ? {} : { "if-match": `"${revision}"` } },
          body: asBody(doc),
        }),
      ),
    ),

  simulate: (request: SimulationRequest) =>
    unwrap(client.POST("/api/v1/simulate", { body: { ...request, journey: asBody(request.journey) } as Schemas["SimulationRequest"] })),

  startRun: (key: string, userId: string, input: Record<string, unknown>) =>
    unwrap(client.POST("/api/v1/journeys/{key}/runs", { params: { path: { key } }, body: { user_id: userId, input: input as Schemas["StartRun"]["input"] } })),

  listRuns: async (journey: string): Promise<RunSummary[]> =>
    (await unwrap(client.GET("/api/v1/runs", { params: { query: { journey, limit: 100 } } }))).items,

  getRun: (runId: string) => unwrap(client.GET("/api/v1/runs/{run_id}", { params: { path: { run_id: runId } } })),

  /** Per node: runs that entered it, are there now, finished it, failed there (of one version, or all). */
  journeyStats: (key: string, version?: number) =>
    unwrap(client.GET("/api/v1/journeys/{key}/stats", { params: { path: { key }, query: version === undefined ? {} : { version } } })),

  cancelRun: (runId: string) => unwrap(client.POST("/api/v1/runs/{run_id}/cancel", { params: { path: { run_id: runId } } })),

  /** The run's server-sent events: `onRun` at each change, `onEnd` when it ended; returns a stop function. */
  watchRun: (runId: string, onRun: (run: RunView) => void, onEnd: () => void, onError: () => void): (() => void) => {
    const source = new EventSource(`/api/v1/runs/${encodeURIComponent(runId)}/stream`);
    source.addEventListener("run", (event) => onRun(JSON.parse((event as MessageEvent<string>).data) as RunView));
    source.addEventListener("end", () => {
      source.close();
      onEnd();
    });
    source.onerror = () => {
      source.close();
      onError();
    };
    return () => source.close();
  },

  /** The published versions, newest first (the first 500). */
  listVersions: async (key: string): Promise<VersionSummary[]> =>
    (await unwrap(client.GET("/api/v1/journeys/{key}/versions", { params: { path: { key }, query: { limit: 500 } } }))).items,

  getVersion: async (key: string, version: number) =>
    (await unwrap(client.GET("/api/v1/journeys/{key}/versions/{version}", { params: { path: { key, version } } }))) as unknown as VersionDetail,

  pause: (key: string) => unwrap(client.POST("/api/v1/journeys/{key}/pause", { params: { path: { key } } })),

  resume: (key: string) => unwrap(client.POST("/api/v1/journeys/{key}/resume", { params: { path: { key } } })),

  /** Archive the journey (final: it starts no runs and cannot change any more). */
  archive: (key: string) => unwrap(client.DELETE("/api/v1/journeys/{key}", { params: { path: { key } } })),

  publish: (key: string, message: string) => unwrap(client.POST("/api/v1/journeys/{key}/publish", { params: { path: { key } }, body: { message } })),
};
