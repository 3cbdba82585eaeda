import { describe, expect, it } from "vitest";

import { completeAt } from "./completions";
import { type ScopeInput, expressionScope, fieldPaths, upstreamOf } from "./scope";

const journey: Omit<ScopeInput, "currentId" | "field" | "language"> = {
  nodes: [
    { id: "start", type: "trigger", config: { kind: "event", event: "cart_updated", filter: "event.properties.total > 0" } },
    { id: "hook", type: "webhook", config: { url: "https://crm/{{ user.crm_id }}", body: { cart: "{{ trigger.properties.cart_id }}" } } },
    { id: "is_vip", type: "condition", config: { expression: "nodes.hook.body.vip == true" } },
    { id: "mail", type: "send_email", config: { to: "{{ user.email }}", subject: "{{ secrets.brand }}" }, on_error: "continue" },
    { id: "tag", type: "update_attributes", config: { set: { last_cart: "{{ input.cart_id }}" }, unset: ["coupon"] } },
    { id: "elsewhere", type: "log", config: { message: "{{ input.total }}" } },
  ],
  edges: [
    { source: "start", target: "hook" },
    { source: "hook", target: "is_vip" },
    { source: "is_vip", target: "mail" },
    { source: "mail", target: "tag" },
    { source: "start", target: "elsewhere" },
  ],
  settings: { exit_on: [{ event: "unsubscribed", filter: "event.properties.list == 'news'" }] },
};

const scopeAt = (currentId: string | null, field = "expression", language: "cel" | "template" = "cel") => expressionScope({ ...journey, currentId, field, language });
const labels = (text: string, scope = scopeAt("tag"), language: "cel" | "template" = "cel", pos = text.length) => completeAt(text, pos, language, scope)?.options.map((option) => option.label);

describe("expressionScope", () => {
  it("offers user.id and the attributes the journey reads or writes, nothing invented", () => {
    expect(Object.keys(scopeAt("tag").user.children!)).toEqual(["id", "coupon", "crm_id", "email", "last_cart"]);
  });

  it("gives an event trigger's fields and the trigger properties seen", () => {
    const trigger = scopeAt("tag").trigger.children!;
    expect(Object.keys(trigger)).toEqual(["id", "name", "timestamp", "user_id", "properties"]);
    expect(Object.keys(trigger.properties.children!)).toEqual(["cart_id", "total"]);
    expect(Object.keys(scopeAt("tag").input.children!)).toEqual(["cart_id", "total"]);
  });

  it("gives a manual trigger only its properties", () => {
    const manual = expressionScope({ ...journey, nodes: [{ id: "start", type: "trigger", config: { kind: "manual" } }], currentId: "start", field: "input", language: "template" });
    expect(Object.keys(manual.trigger.children!)).toEqual(["properties"]);
  });

  it("offers only upstream nodes, with their known outputs", () => {
    const nodes = scopeAt("tag").nodes.children!;
    expect(Object.keys(nodes)).toEqual(["mail", "is_vip", "hook"]);
    expect(Object.keys(scopeAt("elsewhere").nodes.children!)).toEqual([]);
    expect(Object.keys(nodes.hook.children!)).toEqual(["status", "headers", "body", "truncated"]);
    expect(Object.keys(nodes.is_vip.children!)).toEqual(["result"]);
    expect(Object.keys(nodes.mail.children!)).toEqual(["error"]);
    expect(Object.keys(scopeAt("is_vip").nodes.children!)).toEqual(["hook"]);
    expect(scopeAt("start").nodes.children).toEqual({});
  });

  it("has event only in filters and on the trigger, secrets only in templates", () => {
    expect(scopeAt("is_vip").event).toBeUndefined();
    expect(Object.keys(scopeAt("is_vip", "filter").event.children!.properties.children!)).toEqual(["list", "total"]);
    expect(scopeAt("start", "key", "template").event).toBeDefined();
    expect(scopeAt("mail", "to").secrets).toBeUndefined();
    expect(Object.keys(scopeAt("mail", "to", "template").secrets.children!)).toEqual(["brand"]);
  });

  it("offers every node in the journey's settings", () => {
    expect(Object.keys(scopeAt(null, "filter").nodes.children!).sort()).toEqual(["elsewhere", "hook", "is_vip", "mail", "tag"]);
  });
});

describe("fieldPaths", () => {
  it("lists the leaves under the builder's roots as dotted paths", () => {
    const paths = fieldPaths(scopeAt("is_vip", "filter"), ["user", "trigger", "event", "nodes"]);
    expect(paths).toContain("user.crm_id");
    expect(paths).toContain("trigger.properties.cart_id");
    expect(paths).toContain("event.properties.list");
    expect(paths).toContain("nodes.hook.status");
    expect(paths).not.toContain("trigger.properties");
    expect(paths.some((path) => path.startsWith("journey."))).toBe(false);
  });
});

describe("upstreamOf", () => {
  it("walks edges backwards, nearest first, through cycles", () => {
    expect(upstreamOf("tag", journey.edges)).toEqual(["mail", "is_vip", "hook", "start"]);
    expect(upstreamOf("a", [{ source: "b", target: "a" }, { source: "a", target: "b" }])).toEqual(["b"]);
  });
});

describe("completeAt", () => {
  it("completes the members of a root after a dot", () => {
    expect(labels("user.")).toEqual(["id", "coupon", "crm_id", "email", "last_cart"]);
    expect(labels("has(user.em")).toEqual(["email"]);
    expect(completeAt("user.em", 7, "cel", scopeAt("tag"))).toMatchObject({ from: 5 });
  });

  it("completes roots by prefix, and at a bare position only when asked", () => {
    expect(labels("tr")).toEqual(["trigger"]);
    expect(labels("user.id == ")).toBeUndefined();
    expect(completeAt("", 0, "cel", scopeAt("tag"), true)?.options.map((option) => option.label)).toContain("nodes");
  });

  it("walks nested paths: trigger.properties., nodes.<id>.", () => {
    expect(labels("trigger.properties.")).toEqual(["cart_id", "total"]);
    expect(labels("nodes.")).toEqual(["mail", "is_vip", "hook"]);
    expect(labels("nodes.hook.")).toEqual(["status", "headers", "body", "truncated"]);
    expect(labels("nodes.hook.s")).toEqual(["status"]);
    expect(labels("nodes.hook.status")).toBeUndefined();
    const item = completeAt("nodes.hook.", 11, "cel", scopeAt("tag"))!.options.find((option) => option.label === "hook");
    expect(item).toBeUndefined();
  });

  it("says which names go deeper", () => {
    const roots = completeAt("", 0, "cel", scopeAt("tag"), true)!.options;
    expect(roots.find((option) => option.label === "user")?.hasChildren).toBe(true);
    expect(roots.find((option) => option.label === "now")?.hasChildren).toBe(false);
  });

  it("offers nothing inside strings, after numbers or under unknown names", () => {
    expect(labels("user.tier == 'user.")).toBeUndefined();
    expect(labels('user.tier == "gold" && user.')).toEqual(["id", "coupon", "crm_id", "email", "last_cart"]);
    expect(labels("x > 1.")).toBeUndefined();
    expect(labels("nobody.")).toBeUndefined();
    expect(labels("user.email.")).toBeUndefined();
  });

  it("completes templates only inside {{ }} and {% %}", () => {
    const scope = scopeAt("mail", "subject", "template");
    expect(labels("Hi user.", scope, "template")).toBeUndefined();
    expect(labels("Hi {{ user.", scope, "template")).toEqual(["id", "coupon", "crm_id", "email", "last_cart"]);
    expect(labels("Hi {{ user.email }} user.", scope, "template")).toBeUndefined();
    expect(labels("{% if user.", scope, "template")).toContain("email");
    expect(labels("{{ secrets.", scope, "template")).toEqual(["brand"]);
    const text = "Hi {{ user. }}!";
    expect(completeAt(text, text.indexOf(". }}") + 1, "template", scope)?.from).toBe(11);
  });
});
