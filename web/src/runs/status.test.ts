import { describe, expect, it } from "vitest";

import { type RunStep, nodeStatuses, runEnded, runInput, runPath } from "./status";

const step = (node_id: string, status: RunStep["status"], minute: number, extra: Partial<RunStep> = {}): RunStep => ({
  node_id,
  status,
  started_at: `2026-01-01T00:${String(minute).padStart(2, "0")}:00Z`,
  attempts: 1,
  ...extra,
});

describe("nodeStatuses", () => {
  it("maps each node to its step's status, with the deadline of a wait", () => {
    const statuses = nodeStatuses({
      status: "waiting",
      active_nodes: ["wait"],
      steps: [step("start", "completed", 0), step("wait", "waiting", 1, { waiting_until: "2026-01-01T04:01:00Z" })],
    });
    expect(statuses.get("start")).toEqual({ status: "completed", attempts: 1, count: 1 });
    expect(statuses.get("wait")).toEqual({ status: "waiting", waitingUntil: "2026-01-01T04:01:00Z", attempts: 1, count: 1 });
    expect(statuses.has("mail")).toBe(false);
  });

  it("keeps a failed step's error and attempts", () => {
    const statuses = nodeStatuses({
      status: "failed",
      steps: [step("start", "completed", 0), step("hook", "failed", 1, { attempts: 5, error: "HTTP 500" })],
    });
    expect(statuses.get("hook")).toEqual({ status: "failed", error: "HTTP 500", attempts: 5, count: 1 });
  });

  it("shows the latest record of a node run more than once, in start order", () => {
    const statuses = nodeStatuses({
      status: "running",
      steps: [step("loop", "running", 5, { iteration: 2 }), step("loop", "completed", 2, { iteration: 1 })],
    });
    expect(statuses.get("loop")).toEqual({ status: "running", attempts: 1, count: 2 });
  });

  it("marks an active node without a record as running, unless the run ended", () => {
    expect(nodeStatuses({ status: "running", active_nodes: ["mail"], steps: [] }).get("mail")?.status).toBe("running");
    expect(nodeStatuses({ status: "completed", active_nodes: ["mail"], steps: [] }).has("mail")).toBe(false);
  });

  it("leaves nothing running or waiting once the run ended", () => {
    const statuses = nodeStatuses({
      status: "cancelled",
      steps: [step("start", "completed", 0), step("wait", "waiting", 1, { waiting_until: "2026-01-02T00:00:00Z" })],
    });
    expect(statuses.get("wait")).toEqual({ status: "cancelled", attempts: 1, count: 1, waitingUntil: undefined });
    expect(statuses.get("start")?.status).toBe("completed");
  });

  it("reads a run without steps", () => {
    expect(nodeStatuses({ status: "running" }).size).toBe(0);
  });
});

describe("runPath and runEnded", () => {
  it("orders the entered nodes by start", () => {
    expect(runPath({ status: "running", steps: [step("b", "completed", 3), step("a", "completed", 1)] })).toEqual(["a", "b"]);
  });
  it("knows the final statuses", () => {
    expect(["completed", "failed", "cancelled", "exited", "timed_out"].every(runEnded)).toBe(true);
    expect(runEnded("running") || runEnded("waiting")).toBe(false);
  });
});

describe("runInput", () => {
  it("reads the trigger's properties from its step's output", () => {
    const run = {
      status: "completed",
      steps: [step("mail", "completed", 2, { output: { properties: { no: 1 } } }), step("start", "completed", 0, { output: { properties: { cart_id: "c1" } } })],
    };
    expect(runInput(run)).toEqual({ cart_id: "c1" });
    expect(runInput(run, new Set(["start"]))).toEqual({ cart_id: "c1" });
    expect(runInput({ status: "running", steps: [step("start", "running", 0)] })).toBeNull();
    expect(runInput({ status: "running" })).toBeNull();
  });
});
