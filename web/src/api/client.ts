/**
 * The designer's calls to the API (docs: shared api.md). Errors arrive as problem+json and are
 * thrown as `ApiError`, carrying the status, the problem's detail and its DSL `issues`.
 */
import createClient from "openapi-fetch";

import type { Issue, JourneyDocument } from "./document";
import type { NodeTypeSpec } from "../nodes/registry";
import type { paths } from "./schema";

export const API = "/api/v1";

/** The typed client of every route in the generated OpenAPI types. */
export const typedClient = createClient<paths>({ baseUrl: "" });

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

export interface JourneySummary {
  key: string;
  name: string;
  status: string;
  published_version: number | null;
  updated_at: string;
}

export interface JourneyDetail {
  key: string;
  name: string;
  status: string;
  draft: JourneyDocument;
  revision: number;
  published_version: number | null;
  issues: Issue[];
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

async function request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const init: RequestInit = { method, headers: { Accept: "application/json", ...headers } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)["Content-Type"] = "application/json";
  }
  let response: Response;
  try {
    response = await fetch(`${API}${path}`, init);
  } catch (error) {
    throw new ApiError({ status: 0, title: "Network error", detail: `The API cannot be reached (${String(error)})` });
  }
  const text = await response.text();
  const payload: unknown = text === "" ? null : safeJson(text);
  if (!response.ok) {
    const problem = (typeof payload === "object" && payload !== null ? payload : {}) as Partial<Problem>;
    throw new ApiError({ ...problem, status: response.status });
  }
  return payload as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const api = {
  nodeTypes: () => request<NodeTypeSpec[] | { items: NodeTypeSpec[] }>("GET", "/node-types").then((body) => (Array.isArray(body) ? body : body.items)),
  validate: (doc: JourneyDocument) => request<{ valid: boolean; issues: Issue[] }>("POST", "/validate", doc),
  listJourneys: async (): Promise<JourneySummary[]> => {
    const all: JourneySummary[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? "?limit=500" : `?limit=500&cursor=${encodeURIComponent(cursor)}`;
      const page: Page<JourneySummary> = await request<Page<JourneySummary>>("GET", `/journeys${query}`);
      all.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor !== null && all.length < 5000);
    return all;
  },
  createJourney: (doc: JourneyDocument) => request<JourneyDetail>("POST", "/journeys", doc),
  getJourney: (key: string) => request<JourneyDetail>("GET", `/journeys/${encodeURIComponent(key)}`),
  saveJourney: (key: string, doc: JourneyDocument, revision: number | null) =>
    request<JourneyDetail>("PUT", `/journeys/${encodeURIComponent(key)}`, doc, revision === null ? {} : { "If-Match": String(revision) }),
  publish: (key: string, message: string) => request<{ version: number }>("POST", `/journeys/${encodeURIComponent(key)}/publish`, { message }),
};
