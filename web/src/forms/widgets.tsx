import type { FieldProps, RegistryFieldsType, RegistryWidgetsType, WidgetProps } from "@rjsf/utils";
import { useState } from "react";

import { CodeText, ExpressionField } from "../expressions/ExpressionField";
import type { ExpressionLanguage } from "../expressions/scope";
import { WIDGET_HINT } from "./schema";

// Editors picked by the schema's `x-journey-widget` hints (see forms/schema.ts); CEL and
// template fields are the expression editors of ../expressions.

/** Template fields that hold a body of text rather than one line. */
const MULTILINE_TEMPLATES = new Set(["text", "html"]);
/** CEL fields that give a list, not a boolean: no condition builder. */
const NOT_CONDITIONS = new Set(["foreach"]);

function text(value: unknown): string | undefined {
  return value === undefined || value === null || value === "" ? undefined : String(value);
}

interface ExpressionKind {
  language: ExpressionLanguage;
  tag: string;
  hint: string;
  multiline: (name: string) => boolean;
  condition: (name: string) => boolean;
}

/** An rjsf widget editing one kind of expression in an `ExpressionField`. */
function expressionWidget(kind: ExpressionKind) {
  return function ExpressionWidget({ id, name, value, onChange, onBlur, onFocus, disabled, readonly, placeholder }: WidgetProps) {
    return (
      <ExpressionField
        id={id}
        name={name}
        value={text(value)}
        onChange={(next) => onChange(next)}
        onBlur={(next) => onBlur(id, next)}
        onFocus={(next) => onFocus(id, next)}
        language={kind.language}
        tag={kind.tag}
        hint={kind.hint}
        multiline={kind.multiline(name)}
        condition={kind.condition(name)}
        disabled={Boolean(disabled || readonly)}
        placeholder={placeholder}
      />
    );
  };
}

const CelWidget = expressionWidget({
  language: "cel",
  tag: "CEL",
  hint: "A CEL expression, e.g. user.lifetime_value > 500",
  multiline: () => false,
  condition: (name) => !NOT_CONDITIONS.has(name),
});

const TemplateWidget = expressionWidget({
  language: "template",
  tag: "{{ }}",
  hint: "Text with Jinja2 templates, e.g. {{ user.first_name }}",
  multiline: (name) => MULTILINE_TEMPLATES.has(name),
  condition: () => false,
});

const UNITS: [string, string][] = [
  ["D", "day"],
  ["H", "hour"],
  ["M", "minute"],
  ["S", "second"],
];

/** "PT4H" -> "4 hours", "-P3D" -> "3 days before"; null when it is not a simple duration. */
export function describeDuration(value: unknown): string | null {
  if (typeof value === "number") return `${value} second${value === 1 ? "" : "s"}`;
  if (typeof value !== "string") return null;
  const match = /^(-)?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value.trim());
  if (match === null || value.trim().endsWith("T")) return null;
  const parts = [match[2], match[3], match[4], match[5]]
    .map((amount, index) => (amount === undefined ? null : `${amount} ${UNITS[index][1]}${amount === "1" ? "" : "s"}`))
    .filter((part): part is string => part !== null);
  if (parts.length === 0) return null;
  return parts.join(" ") + (match[1] ? " before" : "");
}

function DurationWidget({ id, value, onChange, onBlur, onFocus, disabled, readonly }: WidgetProps) {
  const text = value === undefined || value === null ? "" : String(value);
  const described = describeDuration(value);
  return (
    <div className="duration-field">
      <input
        id={id}
        className="form-control mono"
        value={text}
        placeholder="e.g. PT4H, P3D, 90"
        disabled={disabled || readonly}
        onChange={(event) => {
          const next = event.target.value.trim();
          onChange(next === "" ? undefined : /^\d+(\.\d+)?$/.test(next) ? Number(next) : next);
        }}
        onBlur={(event) => onBlur(id, event.target.value)}
        onFocus={(event) => onFocus(id, event.target.value)}
        data-testid={`field-${id}`}
      />
      {text !== "" && <span className={`duration-hint${described ? "" : " bad"}`}>{described ?? "ISO 8601, e.g. PT30M"}</span>}
    </div>
  );
}

/** Free-form JSON (a webhook body, event properties) as JSON text, kept while it does not parse. */
function JsonField({ schema, name, formData, onChange, disabled, readonly, rawErrors, fieldPathId }: FieldProps) {
  const id = fieldPathId.$id;
  const shown = formData === undefined || formData === null ? "" : JSON.stringify(formData, null, 2);
  const [text, setText] = useState(shown);
  const [error, setError] = useState<string | null>(null);
  const [lastShown, setLastShown] = useState(shown);
  if (shown !== lastShown) {
    setLastShown(shown);
    if (error === null) setText(shown);
  }
  return (
    <div className="form-group field json-field">
      <label className="control-label" htmlFor={id}>
        {schema.title ?? humanize(name)}
      </label>
      {schema.description && <p className="field-description">{schema.description}</p>}
      <CodeText
        id={id}
        name={name ?? ""}
        value={text}
        placeholder='{"name": "{{ user.id }}"}'
        language={templated(schema) ? "template" : null}
        multiline
        disabled={Boolean(disabled || readonly)}
        onChange={(next) => {
          setText(next);
          if (next.trim() === "") {
            setError(null);
            onChange(undefined, fieldPathId.path);
            return;
          }
          try {
            const parsed = JSON.parse(next);
            setError(null);
            onChange(parsed, fieldPathId.path);
          } catch {
            setError("Not valid JSON yet");
          }
        }}
      />
      {error && <div className="error-detail">{error}</div>}
      {rawErrors?.map((message) => (
        <div className="error-detail" key={message}>
          {message}
        </div>
      ))}
    </div>
  );
}

/** Whether the JSON's strings are templates (a webhook body) rather than literal (a run's input). */
function templated(schema: FieldProps["schema"]): boolean {
  const inner = typeof schema.additionalProperties === "object" ? (schema.additionalProperties as Record<string, unknown>) : null;
  return schema[WIDGET_HINT] === "templated-json" || inner?.[WIDGET_HINT] === "templated-json";
}

function humanize(name: string | undefined): string {
  const text = (name ?? "JSON").replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const widgets: RegistryWidgetsType = { cel: CelWidget, template: TemplateWidget, duration: DurationWidget };
export const fields: RegistryFieldsType = { json: JsonField };
