/**
 * The optional quiet-hours object of the journey's settings, with the real document schema and
 * rjsf's own default filling, validation and (server-side) rendering.
 */
import Form, { getDefaultRegistry } from "@rjsf/core";
import { type RJSFSchema, getDefaultFormState } from "@rjsf/utils";
import { customizeValidator } from "@rjsf/validator-ajv8";
import Ajv2020 from "ajv/dist/2020";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import documentSchema from "../api/journey-schema.json";
import type { JsonObject } from "../api/document";
import { settingsSchema, uiSchemaFor } from "./schema";

const validator = customizeValidator({ AjvClass: Ajv2020 as never, ajvOptionsOverrides: { strict: false, discriminator: true } });
const schema = settingsSchema(documentSchema as unknown as JsonObject) as RJSFSchema;
const defaults = (data: JsonObject) => getDefaultFormState(validator, schema, data, schema) as JsonObject;
const missing = (data: JsonObject) =>
  validator
    .validateFormData(data, schema)
    .errors.filter((error) => error.name === "required")
    .map((error) => error.property);
// The designer's own editors need a browser; a plain text box stands in for each of them.
const text = getDefaultRegistry().widgets.TextWidget;
const widgets = { cel: text, template: text, duration: text };
const render = (data: JsonObject) =>
  renderToStaticMarkup(createElement(Form, { schema, uiSchema: uiSchemaFor(schema as JsonObject), formData: data, validator, widgets }));

describe("quiet hours in the settings form", () => {
  it("stay unset, and valid, when the journey has none", () => {
    const filled = defaults({});
    expect(filled.quiet_hours).toBeUndefined();
    expect(missing(filled)).toEqual([]);
    const html = render({});
    expect(html).not.toContain("quiet_hours_start");
    expect(html).toMatch(/<option value="0" selected="">Off<\/option>/);
  });

  it("require a start and an end once turned on", () => {
    expect(missing({ quiet_hours: { timezone: "UTC" } }).sort()).toEqual([".quiet_hours.end", ".quiet_hours.start"]);
    expect(missing({ quiet_hours: { start: "21:00", end: "08:00" } })).toEqual([]);
  });

  it("show their fields, with the timezone default, when set", () => {
    const filled = defaults({ quiet_hours: { start: "21:00", end: "08:00" } });
    expect(filled.quiet_hours).toEqual({ start: "21:00", end: "08:00", timezone: "UTC" });
    const html = render({ quiet_hours: { start: "21:00", end: "08:00" } });
    expect(html).toContain("quiet_hours_start");
    expect(html).toMatch(/<option value="1" selected="">On<\/option>/);
  });

  it("keep the timezone's template editor", () => {
    expect(uiSchemaFor(schema as JsonObject).quiet_hours).toMatchObject({ timezone: { "ui:widget": "template" } });
  });
});
