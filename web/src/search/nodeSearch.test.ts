import { describe, expect, it } from "vitest";

import nodeTypes from "../api/node-types.json";
import { toFlow } from "../canvas/convert";
import { type NodeTypeSpec, makeRegistry } from "../nodes/registry";
import { filterEntries, nodeEntries } from "./nodeSearch";

const registry = makeRegistry(nodeTypes as unknown as NodeTypeSpec[]);
const { nodes } = toFlow(
  {
    key: "k",
    name: "K",
    nodes: [
      { id: "start", type: "trigger", config: { kind: "manual" } },
      { id: "welcome", type: "send_email", name: "Welcome mail", config: { to: "{{ user.email }}", subject: "Hi" } },
      { id: "is_vip", type: "condition", config: { expression: "user.vip" } },
      { id: "send_email", type: "send_email", config: { to: "boss@example.com" } },
      { id: "done", type: "end" },
    ],
    edges: [],
  },
  registry,
);
const entries = nodeEntries(nodes, registry);
const ids = (query: string) => filterEntries(entries, query).map((entry) => entry.id);

describe("finding a step", () => {
  it("describes each step by its name, type and summary", () => {
    expect(entries[1]).toMatchObject({ id: "welcome", title: "Welcome mail", category: "action", summary: "{{ user.email }}" });
    expect(entries[4].title).toBe(entries[4].typeTitle);
  });

  it("lists every step for an empty query", () => {
    expect(ids("  ")).toEqual(["start", "welcome", "is_vip", "send_email", "done"]);
  });

  it("matches ids, names, types and summaries, best first", () => {
    expect(ids("welcome")).toEqual(["welcome"]);
    expect(ids("boss@")).toEqual(["send_email"]);
    expect(ids("user.vip")).toEqual(["is_vip"]);
    expect(ids("send_email")[0]).toBe("send_email");
    expect(ids("mail")).toEqual(["welcome", "send_email"]);
  });

  it("needs every word and accepts scattered letters", () => {
    expect(ids("mail boss")).toEqual(["send_email"]);
    expect(ids("isvp")).toEqual(["is_vip"]);
    expect(ids("zzz")).toEqual([]);
  });
});
