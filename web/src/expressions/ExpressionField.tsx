/**
 * One CEL or template field of a form: the CodeMirror editor and, for a boolean condition, a
 * Builder / CEL switch. Both editors are loaded on first use, so they stay out of the first load.
 */
import { Suspense, lazy, useState } from "react";

import type * as CelQuery from "./celQuery";
import { type ExpressionLanguage, type ScopeTree, fieldPaths } from "./scope";
import { useExpressionScope } from "./useExpressionScope";

const ExpressionEditor = lazy(() => import("./ExpressionEditor"));
const ConditionBuilder = lazy(() => import("./ConditionBuilder"));

export interface ExpressionFieldProps {
  id: string;
  /** The field's name in its form (`expression`, `filter`, `to`, ...). */
  name: string;
  value: string | undefined;
  onChange: (value: string | undefined) => void;
  onBlur: (value: string) => void;
  onFocus: (value: string) => void;
  language: ExpressionLanguage;
  tag: string;
  hint: string;
  multiline: boolean;
  /** A boolean CEL condition: the builder can edit it. */
  condition: boolean;
  disabled: boolean;
  placeholder?: string;
}

const BUILDER_ROOTS = ["user", "trigger", "event", "nodes"];

export function ExpressionField(props: ExpressionFieldProps) {
  const { id, name, value, onChange, onBlur, onFocus, language, tag, hint, multiline, condition, disabled, placeholder } = props;
  const [builder, setBuilder] = useState<{ convert: typeof CelQuery; query: CelQuery.RuleGroupType; wrote: string | undefined } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const testId = `field-${id}`;
  const text = value ?? "";

  if (builder !== null && value !== builder.wrote) {
    // Changed elsewhere (the canvas's undo): show the new expression, in the builder if it can.
    const parsed = builder.convert.celToQuery(value);
    setBuilder(parsed.ok ? { ...builder, query: parsed.query, wrote: value } : null);
    setMessage(parsed.ok ? null : parsed.message);
  }

  const openBuilder = async () => {
    let convert: typeof CelQuery;
    try {
      convert = await import("./celQuery");
    } catch (error) {
      setMessage(`The builder could not be loaded (${error instanceof Error ? error.message : String(error)}); reload the page to try again.`);
      return;
    }
    const parsed = convert.celToQuery(value);
    setMessage(parsed.ok ? null : parsed.message);
    if (parsed.ok) setBuilder({ convert, query: parsed.query, wrote: value });
  };

  const openCel = () => {
    setBuilder(null);
    setMessage(null);
  };

  const changeQuery = (query: CelQuery.RuleGroupType) => {
    if (builder === null) return;
    const cel = builder.convert.queryToCel(query);
    // The same expression differently spelt stays as the person wrote it.
    const kept = cel !== undefined && value !== undefined && builder.convert.sameTokens(cel, value) ? value : cel;
    setBuilder({ ...builder, query, wrote: kept });
    if (kept !== value) onChange(kept);
  };

  return (
    <div className="expr-field">
      {condition && (
        <div className="expr-modes" role="group" aria-label="Edit as">
          <button type="button" aria-pressed={builder !== null} onClick={() => void openBuilder()} disabled={disabled} data-testid={`${testId}-mode-builder`}>
            Builder
          </button>
          <button type="button" aria-pressed={builder === null} onClick={openCel} data-testid={`${testId}-mode-cel`}>
            CEL
          </button>
        </div>
      )}
      {message && (
        <div className="expr-message" role="status" data-testid={`${testId}-mode-message`}>
          {message}
        </div>
      )}
      <Suspense fallback={<Loading text={text || placeholder} />}>
        {builder !== null ? (
          <>
            <BuilderOf id={testId} name={name} query={builder.query} onQueryChange={changeQuery} disabled={disabled} />
            <div className="expr-preview" data-testid={`${testId}-preview`}>
              {value ?? "Add a rule"}
            </div>
          </>
        ) : (
          <div className="code-field">
            <span className="code-tag" title={hint}>
              {tag}
            </span>
            <CodeText
              id={id}
              name={name}
              value={text}
              onChange={(next) => onChange(next === "" ? undefined : next)}
              onBlur={() => onBlur(text)}
              onFocus={() => onFocus(text)}
              language={language}
              multiline={multiline}
              disabled={disabled}
              placeholder={placeholder}
            />
          </div>
        )}
      </Suspense>
    </div>
  );
}

function Loading({ text }: { text?: string }) {
  return <div className="expr-loading mono">{text || " "}</div>;
}

function BuilderOf({ name, ...props }: { id: string; name: string; query: CelQuery.RuleGroupType; onQueryChange: (query: CelQuery.RuleGroupType) => void; disabled: boolean }) {
  const scope = useExpressionScope(name, "cel");
  return <ConditionBuilder {...props} fieldNames={fieldPaths(scope, BUILDER_ROOTS)} />;
}

const NO_NAMES: ScopeTree = {};

export interface CodeTextProps {
  id: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  onFocus?: () => void;
  /** null: text without expressions (plain JSON), nothing to complete. */
  language: ExpressionLanguage | null;
  multiline: boolean;
  disabled: boolean;
  placeholder?: string;
}

/** The CodeMirror editor of a field, completing the names readable there; `field-<id>` in tests. */
export function CodeText({ id, name, value, onChange, onBlur, onFocus, language, multiline, disabled, placeholder }: CodeTextProps) {
  const scope = useExpressionScope(name, language ?? "template");
  return (
    <Suspense fallback={<Loading text={value || placeholder} />}>
      <ExpressionEditor
        id={id}
        value={value}
        onChange={onChange}
        onBlur={onBlur ?? (() => undefined)}
        onFocus={onFocus ?? (() => undefined)}
        language={language ?? "template"}
        scope={language === null ? NO_NAMES : scope}
        multiline={multiline}
        disabled={disabled}
        placeholder={placeholder}
        testId={`field-${id}`}
      />
    </Suspense>
  );
}
