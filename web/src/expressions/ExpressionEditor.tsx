/**
 * A CodeMirror editor for one CEL expression or template, completing the context's names
 * (completions.ts). It keeps its own undo history: Ctrl+Z inside it undoes typing, not the
 * canvas (the editor page leaves keys in editable elements alone).
 */
import { type CompletionContext, type CompletionResult, autocompletion } from "@codemirror/autocomplete";
import { Facet, Prec } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import CodeMirror from "@uiw/react-codemirror";
import { useMemo } from "react";

import { completeAt } from "./completions";
import type { ExpressionLanguage, ScopeTree } from "./scope";
import { lineBreaksAsSpaces } from "./singleLine";
import "./expressions.css";

export interface ExpressionEditorProps {
  id: string;
  value: string;
  onChange: (value: string) => void;
  onBlur: () => void;
  onFocus: () => void;
  language: ExpressionLanguage;
  scope: ScopeTree;
  multiline: boolean;
  disabled: boolean;
  placeholder?: string;
  testId: string;
  label?: string;
}

const SETUP = {
  lineNumbers: false,
  foldGutter: false,
  highlightActiveLine: false,
  highlightActiveLineGutter: false,
  autocompletion: false,
  completionKeymap: false,
  searchKeymap: false,
  foldKeymap: false,
  lintKeymap: false,
};

/** A single-line field: line breaks become spaces, Enter adds none. */
const singleLine = [lineBreaksAsSpaces, Prec.high(keymap.of([{ key: "Enter", run: () => true }]))];

/** What the completion reads: the field's language and scope, given to the editor as a facet. */
const fieldContext = Facet.define<{ language: ExpressionLanguage; scope: ScopeTree }, { language: ExpressionLanguage; scope: ScopeTree }>({
  combine: (values) => values[0] ?? { language: "cel", scope: {} },
});

function complete(context: CompletionContext): CompletionResult | null {
  const { language, scope } = context.state.facet(fieldContext);
  const result = completeAt(context.state.doc.toString(), context.pos, language, scope, context.explicit);
  if (result === null) return null;
  return {
    from: result.from,
    options: result.options.map((option) => ({ label: option.label, detail: option.detail, type: option.hasChildren ? "namespace" : "property" })),
    validFor: /^\w*$/,
  };
}

const completion = autocompletion({ override: [complete], icons: false });

export default function ExpressionEditor({ id, value, onChange, onBlur, onFocus, language, scope, multiline, disabled, placeholder, testId, label }: ExpressionEditorProps) {
  const extensions = useMemo(
    () => [
      completion,
      fieldContext.of({ language, scope }),
      multiline ? EditorView.lineWrapping : singleLine,
      EditorView.contentAttributes.of({ id, "data-testid": testId, "aria-label": label ?? (language === "cel" ? "CEL expression" : "Template") }),
    ],
    [id, testId, label, language, scope, multiline],
  );
  return (
    <CodeMirror
      className={`expr-editor${multiline ? " multiline" : ""}`}
      value={value}
      onChange={onChange}
      onBlur={onBlur}
      onFocus={onFocus}
      extensions={extensions}
      basicSetup={SETUP}
      indentWithTab={false}
      editable={!disabled}
      placeholder={placeholder}
      data-testid={`${testId}-editor`}
    />
  );
}

