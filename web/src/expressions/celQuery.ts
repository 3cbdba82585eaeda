/**
 * The condition builder's query <-> CEL, with react-querybuilder's own `formatQuery(..., "cel")`
 * and `parseCEL`. A hand-written expression opens in the builder only when the builder can give
 * it back as it is: `parseCEL` silently drops what it does not understand (`has(...)`, method
 * calls), so the parsed query is formatted again and compared token by token.
 */
import type { RuleGroupType, RuleProcessor, RuleType } from "react-querybuilder";
import { defaultRuleProcessorCEL, formatQuery } from "react-querybuilder/formatQuery";
import { parseCEL } from "react-querybuilder/parseCEL";

export type { RuleGroupType };

export const EMPTY_QUERY: RuleGroupType = { combinator: "and", rules: [] };

const LIST_OPERATORS = new Set(["in", "notIn", "between", "notBetween"]);
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/** The CEL of a query; undefined while it has no complete rule (the field stays empty). */
export function queryToCel(query: RuleGroupType): string | undefined {
  const typed = typedGroup(query);
  return typed.rules.length === 0 ? undefined : formatQuery(typed, { format: "cel", ruleProcessor: numbersUnquoted });
}

/** formatQuery quotes the items of a list unless told to parse numbers: lists of numbers stay numbers. */
const numbersUnquoted: RuleProcessor = (rule, options, meta) => {
  const numeric = Array.isArray(rule.value) && rule.value.every((item) => typeof item === "number");
  return defaultRuleProcessorCEL(rule, numeric ? { ...options, parseNumbers: true } : options, meta);
};

export type Parsed = { ok: true; query: RuleGroupType } | { ok: false; message: string };

/** The builder's query for a CEL expression, or why the builder cannot show it unchanged. */
export function celToQuery(cel: string | undefined): Parsed {
  if (cel === undefined || cel.trim() === "") return { ok: true, query: EMPTY_QUERY };
  let query: RuleGroupType;
  try {
    query = parseCEL(cel);
  } catch {
    return { ok: false, message: CANNOT };
  }
  const again = queryToCel(query);
  if (again === undefined || !sameTokens(again, cel)) return { ok: false, message: CANNOT };
  return { ok: true, query };
}

const CANNOT =
  "The builder cannot show this expression without changing it: it shows only comparisons of a field with a value, joined by && and ||. It stays in CEL.";

/** Rules as CEL needs them: numbers and booleans typed, lists split, unfinished rules left out. */
function typedGroup(group: RuleGroupType): RuleGroupType {
  const rules: RuleGroupType["rules"] = [];
  for (const rule of group.rules) {
    if (typeof rule === "string") continue;
    if ("rules" in rule) {
      const inner = typedGroup(rule);
      if (inner.rules.length > 0) rules.push(inner);
    } else if (rule.field.trim() !== "" && rule.field !== "~") {
      rules.push(typedRule(rule));
    }
  }
  return { ...group, rules };
}

function typedRule(rule: RuleType): RuleType {
  if (rule.valueSource === "field" || rule.operator === "null" || rule.operator === "notNull") return rule;
  if (LIST_OPERATORS.has(rule.operator)) {
    const items = Array.isArray(rule.value) ? rule.value : String(rule.value ?? "").split(",");
    return { ...rule, value: items.map((item) => typedValue(typeof item === "string" ? item.trim() : item)) };
  }
  return { ...rule, value: typedValue(rule.value) };
}

function typedValue(value: unknown): unknown {
  if (typeof value !== "string") return value;
  if (value === "true" || value === "false") return value === "true";
  if (NUMBER.test(value)) return Number(value);
  // formatQuery escapes quotes but not backslashes; CEL reads `\` as the start of an escape.
  return value.replace(/\\/g, "\\\\");
}

const TOKEN = /\s+|[()]|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?|[A-Za-z_]\w*|&&|\|\||[=!<>]=|[<>!.,[\]]|./g;

/** Whether two CEL texts are the same expression up to spaces, parentheses and quote style. */
export function sameTokens(left: string, right: string): boolean {
  return tokens(left).join("\u0000") === tokens(right).join("\u0000");
}

function tokens(cel: string): string[] {
  const out: string[] = [];
  for (const [token] of cel.matchAll(TOKEN)) {
    if (/^\s+$/.test(token) || token === "(" || token === ")") continue;
    if (token.startsWith("'") || token.startsWith('"')) out.push(`"${token.slice(1, -1).replace(/\\(['"])/g, "$1")}"`);
    else if (/^-?\d/.test(token)) out.push(String(Number(token)));
    else out.push(token);
  }
  return out;
}
