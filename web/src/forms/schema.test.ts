import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

import nodeTypes from "../api/node-types.json";
import type { JsonObject } from "../api/document";
import { defaultConfig, fieldErrors, formSchema, nodeExtrasSchema, settingsSchema, uiSchemaFor, words } from "./schema";

const schemaOf = (type: string) => (nodeTypes as unknown as { type: string; config_schema: JsonObject }[]).find((spec) => spec.type === type)!.config_schema;

describe("formSchema", () => {
  it("unwraps optional fields and keeps their hints", () => {
    const schema = formSchema(schemaOf("send_email"));
    const props = schema.properties as Record<string, JsonObject>;
    expect(props.text).toMatchObject({ type: "string", "x-journey-widget": "template", title: "Text" });
    expect(props.text.default).toBeUndefined();
    expect(JSON.stringify(schema)).not.toContain("anyOf");
  });

  it("inlines references and names one-of options in words", () => {
    const schema = formSchema(schemaOf("trigger"));
    expect(JSON.stringify(schema)).not.toContain("$ref");
    expect((schema.oneOf as JsonObject[]).map((option) => option.title)).toEqual(["Manual trigger", "Event trigger", "Schedule trigger"]);
  });

  it("turns durations into text", () => {
    const props = formSchema(schemaOf("wait_for_event")).properties as Record<string, JsonObject>;
    expect(props.timeout.type).toBe("string");
  });

  it("picks editors from the hints for every node type", () => {
    for (const spec of nodeTypes as unknown as { config_schema: JsonObject }[]) {
      expect(() => uiSchemaFor(formSchema(spec.config_schema))).not.toThrow();
    }
    expect(uiSchemaFor(formSchema(schemaOf("condition")))).toEqual({ expression: { "ui:widget": "cel" } });
    expect(uiSchemaFor(formSchema(schemaOf("webhook")))).toMatchObject({
      body: { "ui:field": "json" },
      url: { "ui:widget": "template" },
      headers: { additionalProperties: { "ui:widget": "template" } },
    });
    expect(uiSchemaFor(formSchema(schemaOf("switch")))).toEqual({ cases: { items: { id: {}, expression: { "ui:widget": "cel" } } } });
    expect(uiSchemaFor(formSchema(schemaOf("trigger")))).toMatchObject({ kind: { "ui:widget": "hidden" }, filter: { "ui:widget": "cel" }, input: { "ui:field": "json" } });
  });
});

describe("defaultConfig", () => {
  it("takes defaults and constants only", () => {
    expect(defaultConfig(schemaOf("trigger"))).toEqual({ kind: "manual" });
    expect(defaultConfig(schemaOf("send_email"))).toEqual({});
    expect(defaultConfig(schemaOf("end"))).toEqual({ status: "completed" });
  });
});

describe("fieldErrors", () => {
  it("places issues at their fields", () => {
    const issues = [
      { path: "/nodes/1/config/to", message: "Send email 'm': to is required" },
      { path: "/nodes/1/config/cases/0/id", message: "bad id" },
      { path: "/nodes/10/config/to", message: "another node" },
      { path: "/nodes/1", message: "whole node" },
    ];
    expect(fieldErrors(issues, "/nodes/1/config")).toEqual({ to: { __errors: ["to is required"] }, cases: { "0": { id: { __errors: ["bad id"] } } } });
  });
  it("says words", () => expect(words("SwitchCase")).toBe("Switch case"));
});

describe("document-level forms", () => {
  const documentSchema = JSON.parse(readFileSync(join(__dirname, "..", "api", "journey-schema.json"), "utf-8"));

  it("offers retry, timeout and on_error for actions only", () => {
    const extras = nodeExtrasSchema(documentSchema, "webhook");
    expect(Object.keys(extras?.properties as object)).toEqual(["retry", "timeout", "on_error"]);
    expect(JSON.stringify(extras)).not.toContain("$ref");
    expect(nodeExtrasSchema(documentSchema, "condition")).toBeNull();
    expect(nodeExtrasSchema(null, "webhook")).toBeNull();
  });

  it("offers the journey's settings", () => {
    const settings = settingsSchema(documentSchema);
    expect(Object.keys(settings?.properties as object)).toContain("reentry");
  });
});
