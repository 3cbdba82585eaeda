/**
 * From a node type's `config_schema` (pydantic's JSON Schema 2020-12) to what the form shows.
 *
 * The schema stays the contract; this only reshapes it for a friendlier form: references are
 * inlined, `anyOf [X, null]` (an optional field) becomes X, duration fields are text, one-of
 * option titles read as words, and the `x-journey-widget` hints pick the editors.
 */
import type { Json, JsonObject } from "../api/document";
import { isJsonObject } from "../api/document";

export const WIDGET_HINT = "x-journey-widget";

export type UiSchema = { [key: string]: unknown };

/** The schema the form renders: self-contained, optional fields unwrapped. */
export function formSchema(schema: JsonObject): JsonObject {
  const defs = isJsonObject(schema.$defs) ? schema.$defs : {};
  const reshaped = reshape(schema, defs, 0) as JsonObject;
  delete reshaped.$defs;
  return reshaped;
}

function reshape(value: Json, defs: JsonObject, depth: number): Json {
  if (Array.isArray(value)) return value.map((item) => reshape(item, defs, depth));
  if (!isJsonObject(value)) return value;
  if (depth > 32) return {};
  let node: JsonObject = { ...value };
  if (typeof node.$ref === "string") {
    const target = defs[node.$ref.replace(/^#\/\$defs\//, "")];
    const { $ref: _ref, ...rest } = node;
    node = { ...(isJsonObject(target) ? target : {}), ...rest };
  }
  if (Array.isArray(node.anyOf)) {
    const options = node.anyOf.filter((option) => !(isJsonObject(option) && option.type === "null"));
    if (options.length === 1 && node.anyOf.length === 2 && isJsonObject(options[0])) {
      const toggle = optionalObjectToggle(options[0], node, defs, depth);
      if (toggle !== null) return toggle;
      const { anyOf: _anyOf, default: fallback, ...rest } = node;
      node = { ...options[0], ...rest, ...(fallback === null || fallback === undefined ? {} : { default: fallback }) };
      if (typeof node.$ref === "string") return reshape(node, defs, depth + 1);
    }
  }
  if (Array.isArray(node.type) && node[WIDGET_HINT] === "duration") node.type = "string";
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(node)) {
    out[key] = key === "const" || key === "default" || key === "enum" || key === "examples" ? child : reshape(child, defs, depth + 1);
  }
  if (typeof out.title === "string") out.title = words(out.title);
  if (Array.isArray(out.oneOf)) {
    out.oneOf = out.oneOf.map((option) => (isJsonObject(option) && typeof option.title === "string" ? { ...option, title: words(option.title) } : option));
  }
  return out;
}

/**
 * An optional object with required members (quiet hours) stays a choice between "Off" and "On".
 * Unwrapped, rjsf would fill it in from its members' defaults (`{"timezone": "UTC"}`), so an
 * unset object would be saved half-made and its required members reported missing; as a choice
 * whose first option is null, it stays unset until the person turns it on.
 */
function optionalObjectToggle(option: JsonObject, node: JsonObject, defs: JsonObject, depth: number): JsonObject | null {
  const target = reshape(option, defs, depth + 1);
  if (!isJsonObject(target) || target.type !== "object" || !Array.isArray(target.required) || target.required.length === 0) return null;
  const { anyOf: _anyOf, default: _fallback, ...rest } = node;
  const title = typeof rest.title === "string" ? words(rest.title) : typeof target.title === "string" ? target.title : undefined;
  return {
    ...rest,
    ...(title === undefined ? {} : { title }),
    anyOf: [
      { type: "null", title: "Off" },
      { ...target, title: "On" },
    ],
  };
}

/** `EventTrigger` -> `Event trigger`; titles that already hold spaces stay. */
export function words(title: string): string {
  if (title.includes(" ") || !/[a-z][A-Z]/.test(title)) return title;
  const parts = title.split(/(?<=[a-z0-9])(?=[A-Z])/);
  return [parts[0], ...parts.slice(1).map((part) => part.toLowerCase())].join(" ");
}

/** Whether a (reshaped) schema is free-form JSON, or a map of it: edited as JSON text. */
export function isFreeJson(schema: JsonObject): boolean {
  if (schema[WIDGET_HINT] === "templated-json") return true;
  const meaningful = Object.keys(schema).filter((key) => !["title", "description", "default", "examples"].includes(key));
  if (meaningful.length === 0) return true;
  if (schema.type === "object" && !isJsonObject(schema.properties) && isJsonObject(schema.additionalProperties)) {
    return isFreeJson(schema.additionalProperties);
  }
  return false;
}

/** The uiSchema of a reshaped schema: editors by hint, hidden constants, JSON fields. */
export function uiSchemaFor(schema: JsonObject): UiSchema {
  const ui: UiSchema = {};
  const properties: Record<string, JsonObject> = {};
  for (const source of [schema, ...options(schema)]) {
    if (isJsonObject(source) && isJsonObject(source.properties)) {
      for (const [name, child] of Object.entries(source.properties)) if (isJsonObject(child)) properties[name] = child;
    }
  }
  for (const [name, child] of Object.entries(properties)) ui[name] = fieldUi(child);
  if (isJsonObject(schema.items)) ui.items = fieldUi(schema.items);
  if (isJsonObject(schema.additionalProperties)) ui.additionalProperties = fieldUi(schema.additionalProperties);
  return ui;
}

function fieldUi(schema: JsonObject): UiSchema {
  if (schema.const !== undefined) return { "ui:widget": "hidden" };
  if (isFreeJson(schema)) return { "ui:field": "json" };
  const hint = schema[WIDGET_HINT];
  if (typeof hint === "string" && ["cel", "template", "duration"].includes(hint)) return { "ui:widget": hint };
  if (schema.type === "object" || schema.type === "array" || options(schema).length > 0) return uiSchemaFor(schema);
  return {};
}

/** The options of a one-of or any-of schema (none for others). */
function options(schema: JsonObject): Json[] {
  return [...(Array.isArray(schema.oneOf) ? schema.oneOf : []), ...(Array.isArray(schema.anyOf) ? schema.anyOf : [])];
}

/** The config a new node starts with: the defaults and constants of its schema, nothing more. */
export function defaultConfig(schema: JsonObject): JsonObject {
  const reshaped = formSchema(schema);
  const source = Array.isArray(reshaped.oneOf) && isJsonObject(reshaped.oneOf[0]) ? reshaped.oneOf[0] : reshaped;
  const config: JsonObject = {};
  if (isJsonObject(source.properties)) {
    for (const [name, child] of Object.entries(source.properties)) {
      if (!isJsonObject(child)) continue;
      if (child.const !== undefined) config[name] = child.const;
      else if (child.default !== undefined && child.default !== null && !(typeof child.default === "object")) config[name] = child.default;
    }
  }
  return config;
}

/** Issues of one node's config as rjsf `extraErrors`, placed at the field each path names. */
export function fieldErrors(issues: { path?: string | null; message: string }[], configPointer: string): JsonObject {
  const errors: JsonObject = {};
  for (const issue of issues) {
    if (!issue.path || !(issue.path === configPointer || issue.path.startsWith(`${configPointer}/`))) continue;
    const parts = issue.path.slice(configPointer.length).split("/").filter(Boolean).map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
    let node = errors;
    for (const part of parts) {
      if (!isJsonObject(node[part])) node[part] = {};
      node = node[part] as JsonObject;
    }
    const list = Array.isArray(node.__errors) ? node.__errors : [];
    node.__errors = [...list, messageOnly(issue.message)];
  }
  return errors;
}

/** "Send email 'm': to is required" -> "to is required": the field already says where. */
function messageOnly(message: string): string {
  const index = message.indexOf("': ");
  return index >= 0 ? message.slice(index + 3) : message;
}

/** The document-level fields of nodes of `nodeType` (retry, timeout, on_error for actions): a
 * form schema from the journey schema's node variant, without what the inspector shows itself. */
export function nodeExtrasSchema(documentSchema: JsonObject | null, nodeType: string): JsonObject | null {
  const defs = documentSchema && isJsonObject(documentSchema.$defs) ? documentSchema.$defs : null;
  if (defs === null) return null;
  for (const variant of Object.values(defs)) {
    if (!isJsonObject(variant) || !isJsonObject(variant.properties)) continue;
    const type = variant.properties.type;
    if (!isJsonObject(type) || type.const !== nodeType) continue;
    const picked: JsonObject = {};
    for (const [name, property] of Object.entries(variant.properties)) {
      if (!SHOWN_ELSEWHERE.has(name)) picked[name] = property;
    }
    if (Object.keys(picked).length === 0) return null;
    return formSchema({ type: "object", properties: picked, $defs: defs });
  }
  return null;
}

const SHOWN_ELSEWHERE = new Set(["id", "type", "name", "description", "config", "position"]);

/** The form schema of a document's `settings` (entry, exit, quiet hours, duration). */
export function settingsSchema(documentSchema: JsonObject | null): JsonObject | null {
  if (documentSchema === null || !isJsonObject(documentSchema.properties)) return null;
  const settings = documentSchema.properties.settings;
  if (!isJsonObject(settings)) return null;
  const schema = formSchema({ ...settings, $defs: documentSchema.$defs ?? {} });
  delete schema.title;
  delete schema.description;
  return schema;
}
