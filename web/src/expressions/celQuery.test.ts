import { describe, expect, it } from "vitest";

import examples from "./builder-cel.json";
import { EMPTY_QUERY, type RuleGroupType, celToQuery, queryToCel, sameTokens } from "./celQuery";

// The same file feeds tests/api/test_builder_cel.py, which sends each `cel` to POST /validate.
const cases = examples as { query: RuleGroupType; cel: string }[];

describe("queryToCel", () => {
  it.each(cases.map((example) => [example.cel, example]))("exports %s", (_cel, example) => {
    expect(queryToCel(example.query)).toBe(example.cel);
  });

  it("gives nothing for a query without a complete rule", () => {
    expect(queryToCel(EMPTY_QUERY)).toBeUndefined();
    expect(queryToCel({ combinator: "and", rules: [{ field: "", operator: "=", value: "1" }, { combinator: "or", rules: [] }] })).toBeUndefined();
  });
});

describe("celToQuery", () => {
  it("opens what the builder wrote, and gives back the same CEL", () => {
    for (const example of cases.filter((item) => !item.cel.includes("\\"))) {
      const parsed = celToQuery(example.cel);
      expect(parsed.ok, example.cel).toBe(true);
      if (parsed.ok) expect(queryToCel(parsed.query)).toBe(example.cel);
    }
  });

  it("opens hand-written comparisons whatever their spacing and quotes", () => {
    const parsed = celToQuery("user.tier=='gold'  ||  ( user.a == 1 && user.b != 'x' )");
    expect(parsed).toMatchObject({ ok: true, query: { combinator: "or" } });
    expect(celToQuery("((user.vip == true))").ok).toBe(true);
    expect(celToQuery("").ok).toBe(true);
    expect(celToQuery(undefined)).toEqual({ ok: true, query: EMPTY_QUERY });
  });

  it.each([
    "has(user.vip) && user.vip",
    "user.vip",
    "size(input.items) > 0",
    "user.lifetime_value > 500 && has(user.tier)",
    "!(user.a == 1)",
    "user.a == \"true\"",
    "user.x ==",
    "user.name.matches('^A')",
  ])("refuses %s, which it would change", (cel) => {
    const parsed = celToQuery(cel);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain("stays in CEL");
  });
});

describe("sameTokens", () => {
  it("ignores spaces, parentheses and quote style, nothing else", () => {
    expect(sameTokens("a == 'x'", '(a=="x")')).toBe(true);
    expect(sameTokens("a == 1.0", "a == 1")).toBe(true);
    expect(sameTokens("a == 1", "a == 2")).toBe(false);
    expect(sameTokens("a == 'x y'", 'a == "xy"')).toBe(false);
  });
});
