import Form from "@rjsf/core";
import type { ErrorSchema, RJSFSchema, UiSchema } from "@rjsf/utils";
import { customizeValidator } from "@rjsf/validator-ajv8";
import Ajv2020 from "ajv/dist/2020";
import { CopyPlus, Trash2 } from "lucide-react";
import { useMemo, useRef, useState } from "react";
import { useShallow } from "zustand/react/shallow";

import { type Issue, type JsonObject, isJsonObject } from "../api/document";
import { fieldErrors, formSchema, nodeExtrasSchema, settingsSchema, uiSchemaFor } from "../forms/schema";
import { fields, widgets } from "../forms/widgets";
import { NodeIcon } from "../nodes/icons";
import type { NodeTypeSpec } from "../nodes/registry";
import { duplicateSelection, useEditor } from "../state/editor";
import { useVersionView } from "../versions/viewing";
import { BranchTargets } from "./BranchTargets";

/** rjsf's validator on Ajv's 2020-12 dialect (pydantic's), the journey hints allowed. */
const validator = customizeValidator({
  AjvClass: Ajv2020 as never,
  ajvOptionsOverrides: { strict: false, discriminator: true },
});

const EMPTY: Issue[] = [];

/** The selected node's settings (its rjsf form), or the journey's own when none is selected. */
export function Inspector() {
  const selected = useEditor(useShallow((state) => state.nodes.filter((node) => node.selected).map((node) => node.id)));
  const readOnly = useVersionView((state) => state.viewing !== null);
  return (
    <aside className="inspector" data-testid="inspector">
      <fieldset className="read-only-fieldset" disabled={readOnly} data-testid="inspector-fields">
        {selected.length === 1 ? <NodeInspector key={selected[0]} id={selected[0]} /> : selected.length > 1 ? <MultiSelection count={selected.length} /> : <JourneyInspector />}
      </fieldset>
    </aside>
  );
}

/** Duplicate and delete for the selected step, or for the several selected ones. */
function SelectionActions({ many }: { many: boolean }) {
  const deleteSelected = useEditor((state) => state.deleteSelected);
  const subtle = many ? "" : " subtle";
  return (
    <div className="inspector-actions">
      <button type="button" className={`btn${subtle}`} onClick={duplicateSelection} title="Duplicate (Ctrl+D)" data-testid={many ? "duplicate-selection" : "duplicate-node"}>
        <CopyPlus size={14} /> {many ? "Duplicate them" : "Duplicate step"}
      </button>
      <button type="button" className={`btn danger${subtle}`} onClick={deleteSelected} data-testid={many ? "delete-selection" : "delete-node"}>
        <Trash2 size={14} /> {many ? "Delete them" : "Delete step"}
      </button>
    </div>
  );
}

function MultiSelection({ count }: { count: number }) {
  return (
    <div className="inspector-body">
      <div className="panel-title">{count} steps selected</div>
      <SelectionActions many />
    </div>
  );
}

function JourneyInspector() {
  const meta = useEditor((state) => state.meta);
  const updateMeta = useEditor((state) => state.updateMeta);
  const documentSchema = useEditor((state) => state.documentSchema);
  const issues = useEditor(useShallow((state) => state.issues.filter((issue) => issue.path?.startsWith("/settings"))));
  const settings = useMemo(() => settingsSchema(documentSchema), [documentSchema]);
  return (
    <div className="inspector-body" data-testid="journey-inspector">
      <div className="panel-title">Journey</div>
      <label className="field-label" htmlFor="journey-name">
        Name
      </label>
      <input id="journey-name" className="form-control" value={meta.name ?? ""} onChange={(event) => updateMeta({ name: event.target.value })} data-testid="journey-name" />
      <label className="field-label" htmlFor="journey-key">
        Key
      </label>
      <input id="journey-key" className="form-control mono" value={meta.key} readOnly disabled />
      <label className="field-label" htmlFor="journey-description">
        Description
      </label>
      <textarea
        id="journey-description"
        className="form-control"
        rows={5}
        value={typeof meta.description === "string" ? meta.description : ""}
        onChange={(event) => updateMeta({ description: event.target.value })}
        data-testid="journey-description"
      />
      {settings && (
        <details className="section" open>
          <summary>Entry, exit and timing</summary>
          <SchemaForm
            schema={settings}
            data={isJsonObject(meta.settings) ? meta.settings : {}}
            pointer="/settings"
            issues={issues}
            idPrefix="settings"
            testId="settings-form"
            onChange={(value) => updateMeta({ settings: Object.keys(value).length > 0 ? value : undefined })}
          />
        </details>
      )}
      <p className="muted small">Select a step to edit it. Drag steps from the left, connect a handle on the right of a step to the left of another.</p>
    </div>
  );
}

function NodeInspector({ id }: { id: string }) {
  const node = useEditor((state) => state.nodes.find((candidate) => candidate.id === id));
  const index = useEditor((state) => state.nodes.findIndex((candidate) => candidate.id === id));
  const spec = useEditor((state) => (node ? state.registry.byType.get(node.data.nodeType) : undefined));
  const issues = useEditor(useShallow((state) => state.issues.filter((issue) => issue.node_id === id)));
  const { updateConfig, updateFields, renameNode } = useEditor(
    useShallow((state) => ({ updateConfig: state.updateConfig, updateFields: state.updateFields, renameNode: state.renameNode })),
  );
  const documentSchema = useEditor((state) => state.documentSchema);
  const nodeType = node?.data.nodeType;
  const extras = useMemo(() => (nodeType === undefined ? null : nodeExtrasSchema(documentSchema, nodeType)), [documentSchema, nodeType]);
  const [draftId, setDraftId] = useState(id);
  const [idError, setIdError] = useState<string | null>(null);
  if (node === undefined) return null;
  const commitId = () => {
    const problem = renameNode(id, draftId.trim());
    setIdError(problem);
    if (problem !== null) setDraftId(id);
  };
  const name = typeof node.data.fields.name === "string" ? node.data.fields.name : "";
  return (
    <div className="inspector-body" data-testid="node-inspector">
      <div className={`inspector-head cat-${spec?.category ?? "unknown"}`}>
        <span className="jn-icon">
          <NodeIcon name={spec?.icon} size={18} />
        </span>
        <div>
          <div className="inspector-type">{spec?.title ?? node.data.nodeType}</div>
          <div className="muted small">{spec?.description ?? "This node type is not known to this server."}</div>
        </div>
      </div>
      <div className="two-cols">
        <div>
          <label className="field-label" htmlFor="node-name">
            Label
          </label>
          <input
            id="node-name"
            className="form-control"
            value={name}
            placeholder={spec?.title}
            onChange={(event) => updateFields(id, { name: event.target.value })}
            data-testid="inspector-name"
          />
        </div>
        <div>
          <label className="field-label" htmlFor="node-id">
            ID
          </label>
          <input
            id="node-id"
            className="form-control mono"
            value={draftId}
            onChange={(event) => setDraftId(event.target.value)}
            onBlur={commitId}
            onKeyDown={(event) => event.key === "Enter" && commitId()}
            data-testid="inspector-id"
          />
        </div>
      </div>
      {idError && <div className="error-detail">{idError}</div>}
      <BranchTargets id={id} />
      {spec && <ConfigForm spec={spec} id={id} config={node.data.fields.config} pointer={`/nodes/${index}/config`} issues={issues ?? EMPTY} onChange={(config) => updateConfig(id, config)} />}
      {extras && (
        <details className="section" open={Object.keys(extras.properties as object).some((name) => node.data.fields[name] !== undefined)}>
          <summary>Retries and errors</summary>
          <SchemaForm
            schema={extras}
            data={pick(node.data.fields, Object.keys(extras.properties as object))}
            pointer={`/nodes/${index}`}
            issues={issues}
            idPrefix={`node-${id}`}
            testId="extras-form"
            onChange={(fields) => updateFields(id, { ...Object.fromEntries(Object.keys(extras.properties as object).map((name) => [name, undefined])), ...fields })}
          />
        </details>
      )}
      {issues.length > 0 && (
        <div className="node-issues" data-testid="node-issues">
          {issues.map((issue, position) => (
            <div key={position} className={`issue ${issue.severity}`}>
              <span className="issue-code">{issue.code}</span> {issue.message}
            </div>
          ))}
        </div>
      )}
      <SelectionActions many={false} />
    </div>
  );
}

interface ConfigFormProps {
  spec: NodeTypeSpec;
  id: string;
  config: JsonObject | undefined;
  pointer: string;
  issues: Issue[];
  onChange: (config: JsonObject) => void;
}

function ConfigForm({ spec, id, config, pointer, issues, onChange }: ConfigFormProps) {
  const schema = useMemo(() => formSchema(spec.config_schema), [spec]);
  const empty = !schema.oneOf && Object.keys((schema.properties as object | undefined) ?? {}).length === 0;
  if (empty) return <p className="muted small">{typeof schema.description === "string" ? schema.description : "This step has no settings."}</p>;
  return <SchemaForm schema={schema} data={config ?? {}} pointer={pointer} issues={issues} idPrefix={`cfg-${id}`} onChange={onChange} testId="config-form" />;
}

interface SchemaFormProps {
  schema: JsonObject;
  data: JsonObject;
  pointer: string;
  issues: Issue[];
  idPrefix: string;
  testId: string;
  onChange: (data: JsonObject) => void;
}

/** An rjsf form of a (reshaped) schema whose issues show at their fields. */
function SchemaForm({ schema, data, pointer, issues, idPrefix, testId, onChange }: SchemaFormProps) {
  const uiSchema = useMemo(() => ({ ...uiSchemaFor(schema), "ui:submitButtonOptions": { norender: true } }) as UiSchema, [schema]);
  const extraErrors = useMemo(() => fieldErrors(issues, pointer) as ErrorSchema, [issues, pointer]);
  // rjsf reports its own defaults as changes when it mounts: only edits by the person count.
  const touched = useRef(false);
  const touch = () => {
    touched.current = true;
  };
  return (
    <div className="config-form" data-testid={testId} onFocusCapture={touch} onMouseDownCapture={touch} onKeyDownCapture={touch}>
      <Form
        schema={schema as RJSFSchema}
        uiSchema={uiSchema}
        formData={data}
        validator={validator}
        widgets={widgets}
        fields={fields}
        idPrefix={idPrefix}
        extraErrors={extraErrors}
        showErrorList={false}
        noHtml5Validate
        onChange={(event) => {
          if (touched.current) onChange(withoutAddedDefaults(clean(event.formData) as JsonObject, data, schema));
        }}
      />
    </div>
  );
}

/** The form's data as JSON: no undefined members. */
function clean(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? {}));
}

/**
 * Leave out what the form filled in by itself: a field the config did not have whose value is
 * its schema default or an empty list or map. Saved documents then hold what people wrote.
 */
export function withoutAddedDefaults(next: JsonObject, previous: JsonObject, schema: JsonObject): JsonObject {
  const properties: Record<string, unknown> = {};
  for (const source of [schema, ...(Array.isArray(schema.oneOf) ? schema.oneOf : [])]) {
    if (isJsonObject(source) && isJsonObject(source.properties)) Object.assign(properties, source.properties);
  }
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(next)) {
    if (!(name in previous)) {
      const property = properties[name];
      const fallback = isJsonObject(property) ? property.default : undefined;
      const emptyContainer = (Array.isArray(value) && value.length === 0) || (isJsonObject(value) && Object.keys(value).length === 0);
      if (emptyContainer || (fallback !== undefined && JSON.stringify(fallback) === JSON.stringify(value))) continue;
    }
    out[name] = value;
  }
  return out;
}

function pick(fields: Record<string, unknown>, names: string[]): JsonObject {
  const out: JsonObject = {};
  for (const name of names) if (fields[name] !== undefined) out[name] = fields[name] as JsonObject[string];
  return out;
}
