/**
 * What an expression or template can read at one field of a journey (docs/dsl.md, "The
 * context"), as a tree of names for completion and for the condition builder's fields.
 *
 * Only what is true is offered: the server has no list of user attributes or event properties,
 * so those are the `user.id` every run has plus the names this journey already reads or writes.
 * Node outputs follow the "Node outputs" table of docs/dsl.md; a node is offered under `nodes.`
 * only where its output can exist: upstream of the field's node.
 */

export interface ScopeEntry {
  detail: string;
  children?: ScopeTree;
}

export type ScopeTree = Record<string, ScopeEntry>;

export type ExpressionLanguage = "cel" | "template";

export interface ScopeNode {
  id: string;
  type: string;
  config?: unknown;
  on_error?: unknown;
}

export interface ScopeEdge {
  source: string;
  target: string;
}

export interface ScopeInput {
  nodes: ScopeNode[];
  edges: ScopeEdge[];
  /** The journey's settings: their strings are read for names too. */
  settings?: unknown;
  /** The node whose field is edited; null for the journey's own settings. */
  currentId: string | null;
  /** The field's name (`filter`, `expression`, ...). */
  field: string;
  language: ExpressionLanguage;
}

const EVENT_FIELDS = ["name", "id", "user_id", "timestamp"];

const NODE_OUTPUTS: Record<string, Record<string, string>> = {
  webhook: { status: "the HTTP status", headers: "response headers, names in lower case", body: "the response body, parsed when JSON", truncated: "the body was cut at 256 KiB" },
  wait_for_event: { name: "event name", id: "event id", user_id: "event user", timestamp: "event time", properties: "event properties (null after the timeout)" },
  condition: { result: "the boolean" },
  switch: { case: "the id of the case taken" },
  split: { variant: "the id of the variant taken" },
  loop: { item: "the current item (foreach)", index: "the current iteration", iterations: "iterations run", stopped: '"max_iterations" when cut short' },
  update_attributes: { attributes: "the attributes written", removed: "the names unset" },
  subjourney: { status: "the child run's status", output: "the child's node outputs" },
};

const ACTIONS = new Set(["send_email", "webhook", "emit_event", "update_attributes", "log"]);

/** The names readable at one field, rooted at `user`, `trigger`, `nodes`, ... */
export function expressionScope(input: ScopeInput): ScopeTree {
  const seen = namesSeen(input);
  const current = input.nodes.find((node) => node.id === input.currentId);
  const trigger = input.nodes.find((node) => node.type === "trigger");
  const eventTrigger = isRecord(trigger?.config) && trigger.config.kind === "event";
  const properties = leaves(seen.triggerProperties, "seen in this journey");
  const tree: ScopeTree = {
    user: { detail: "the run's user", children: { id: { detail: "the user's id" }, ...leaves(seen.userAttributes, "attribute seen in this journey") } },
    trigger: {
      detail: eventTrigger ? "the event that started the run" : "what started the run",
      children: { ...(eventTrigger ? leaves(EVENT_FIELDS, "of the trigger event") : {}), properties: { detail: "the trigger's properties", children: properties } },
    },
    input: { detail: "shorthand for trigger.properties", children: properties },
    nodes: { detail: "outputs of finished nodes", children: nodeOutputs(input, seen.nodeFields) },
    journey: { detail: "this journey", children: { key: { detail: "the journey's key" }, version: { detail: "the published version" } } },
    run: { detail: "this run", children: { id: { detail: "the run's id" } } },
    now: { detail: "the run's current time" },
  };
  if (input.field === "filter" || current?.type === "trigger") {
    tree.event = {
      detail: "the event being tested",
      children: { ...leaves(EVENT_FIELDS, "of the event"), properties: { detail: "the event's properties", children: leaves(seen.eventProperties, "seen in this journey") } },
    };
  }
  if (input.language === "template") tree.secrets = { detail: "workspace secrets (templates only)", children: leaves(seen.secrets, "secret used in this journey") };
  return tree;
}

/** The ids of the nodes a run passes before reaching `id`, nearest first. */
export function upstreamOf(id: string, edges: ScopeEdge[]): string[] {
  const found: string[] = [];
  const queue = [id];
  const visited = new Set([id]);
  while (queue.length > 0) {
    const target = queue.shift() as string;
    for (const edge of edges) {
      if (edge.target !== target || visited.has(edge.source)) continue;
      visited.add(edge.source);
      found.push(edge.source);
      queue.push(edge.source);
    }
  }
  return found;
}

function nodeOutputs(input: ScopeInput, fieldsSeen: Map<string, Set<string>>): ScopeTree {
  const byId = new Map(input.nodes.map((node) => [node.id, node]));
  const ids = input.currentId === null ? input.nodes.map((node) => node.id) : upstreamOf(input.currentId, input.edges);
  const tree: ScopeTree = {};
  for (const id of ids) {
    const node = byId.get(id);
    if (node === undefined || node.type === "trigger") continue;
    const outputs: ScopeTree = {};
    for (const [name, detail] of Object.entries(NODE_OUTPUTS[node.type] ?? {})) outputs[name] = { detail };
    if (ACTIONS.has(node.type) && node.on_error === "continue") outputs.error = { detail: "what went wrong" };
    for (const name of fieldsSeen.get(id) ?? []) outputs[name] ??= { detail: "seen in this journey" };
    tree[id] = { detail: `output of ${node.type}`, children: outputs };
  }
  return tree;
}

interface NamesSeen {
  userAttributes: Set<string>;
  triggerProperties: Set<string>;
  eventProperties: Set<string>;
  secrets: Set<string>;
  nodeFields: Map<string, Set<string>>;
}

const NAME = "([A-Za-z_][A-Za-z0-9_]*)";
const PATTERNS: [keyof Omit<NamesSeen, "nodeFields">, RegExp][] = [
  ["userAttributes", new RegExp(`\\buser\\.${NAME}`, "g")],
  ["triggerProperties", new RegExp(`\\b(?:trigger\\.properties|input)\\.${NAME}`, "g")],
  ["eventProperties", new RegExp(`\\bevent\\.properties\\.${NAME}`, "g")],
  ["secrets", new RegExp(`\\bsecrets\\.${NAME}`, "g")],
];
const NODE_FIELD = new RegExp(`\\bnodes\\.([A-Za-z0-9_-]+)\\.${NAME}`, "g");

/** Names the journey's expressions and templates already read, and the attributes it writes. */
function namesSeen(input: ScopeInput): NamesSeen {
  const seen: NamesSeen = { userAttributes: new Set(), triggerProperties: new Set(), eventProperties: new Set(), secrets: new Set(), nodeFields: new Map() };
  const texts: string[] = [];
  for (const node of input.nodes) {
    collectStrings(node.config, texts);
    if (node.type === "update_attributes" && isRecord(node.config)) {
      for (const key of ["set", "increment"]) if (isRecord(node.config[key])) Object.keys(node.config[key]).forEach((name) => seen.userAttributes.add(name));
      if (Array.isArray(node.config.unset)) node.config.unset.forEach((name) => typeof name === "string" && seen.userAttributes.add(name));
    }
  }
  collectStrings(input.settings, texts);
  for (const text of texts) {
    for (const [kind, pattern] of PATTERNS) for (const match of text.matchAll(pattern)) seen[kind].add(match[1]);
    for (const match of text.matchAll(NODE_FIELD)) {
      const fields = seen.nodeFields.get(match[1]) ?? new Set<string>();
      fields.add(match[2]);
      seen.nodeFields.set(match[1], fields);
    }
  }
  seen.userAttributes.delete("id");
  return seen;
}

function collectStrings(value: unknown, into: string[]): void {
  if (typeof value === "string") into.push(value);
  else if (Array.isArray(value)) value.forEach((item) => collectStrings(item, into));
  else if (isRecord(value)) Object.values(value).forEach((item) => collectStrings(item, into));
}

function leaves(names: Iterable<string>, detail: string): ScopeTree {
  const tree: ScopeTree = {};
  for (const name of [...names].sort()) tree[name] = { detail };
  return tree;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The dotted paths of the leaves under `roots`: the condition builder's fields. */
export function fieldPaths(scope: ScopeTree, roots: string[]): string[] {
  const paths: string[] = [];
  const walk = (tree: ScopeTree, prefix: string) => {
    for (const [name, entry] of Object.entries(tree)) {
      const path = `${prefix}${name}`;
      if (entry.children === undefined) paths.push(path);
      else walk(entry.children, `${path}.`);
    }
  };
  for (const root of roots) {
    const children = scope[root]?.children;
    if (children !== undefined) walk(children, `${root}.`);
  }
  return paths;
}
