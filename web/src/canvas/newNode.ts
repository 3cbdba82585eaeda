import { defaultConfig } from "../forms/schema";
import type { Registry } from "../nodes/registry";
import { JOURNEY_NODE, type JourneyNode, type NodeFields } from "./convert";
import { uniqueId } from "./ids";

/** A fresh, selected node of `nodeType` with its schema's defaults, under an id not in `taken`. */
export function newNode(nodeType: string, registry: Registry, taken: Set<string>, position: { x: number; y: number }): JourneyNode {
  const spec = registry.byType.get(nodeType);
  const schema = spec?.config_schema ?? {};
  const hasSettings = Array.isArray(schema.oneOf) || Object.keys((schema.properties as object | undefined) ?? {}).length > 0;
  const fields: NodeFields = hasSettings ? { config: spec ? defaultConfig(spec.config_schema) : {} } : {};
  return { id: uniqueId(nodeType, taken), type: JOURNEY_NODE, position, selected: true, data: { nodeType, fields } };
}
