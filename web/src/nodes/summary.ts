import type { JsonObject } from "../api/document";
import { isJsonObject } from "../api/document";
import type { NodeTypeSpec } from "./registry";

/**
 * One line that tells nodes of the same type apart on the canvas: the first required text
 * field of the config that has a value (an expression, a recipient, an event name), else the
 * first text field at all. Derived from the schema, so it works for every node type.
 */
export function configSummary(spec: NodeTypeSpec | undefined, config: unknown): string | null {
  if (spec === undefined || !isJsonObject(config)) return null;
  const schema = spec.config_schema;
  const variant = pickVariant(schema, config);
  const required = Array.isArray(variant.required) ? variant.required.filter((name): name is string => typeof name === "string") : [];
  const names = [...required, ...Object.keys(isJsonObject(variant.properties) ? variant.properties : {})];
  for (const name of names) {
    const value = config[name];
    if (typeof value === "string" && value.trim() !== "" && name !== "kind") return `${value}`;
    if (typeof value === "number") return `${name}: ${value}`;
  }
  return null;
}

function pickVariant(schema: JsonObject, config: JsonObject): JsonObject {
  const defs = isJsonObject(schema.$defs) ? schema.$defs : {};
  if (!Array.isArray(schema.oneOf)) return schema;
  for (const option of schema.oneOf) {
    const resolved = isJsonObject(option) && typeof option.$ref === "string" ? defs[option.$ref.replace("#/$defs/", "")] : option;
    if (!isJsonObject(resolved) || !isJsonObject(resolved.properties)) continue;
    const matches = Object.entries(resolved.properties).every(
      ([name, property]) => !isJsonObject(property) || property.const === undefined || property.const === config[name],
    );
    if (matches) return resolved;
  }
  return schema;
}
