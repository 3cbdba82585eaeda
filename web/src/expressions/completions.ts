/**
 * Completion of context names at the cursor: pure, so the editor only hands it text and a
 * position. In CEL everywhere outside string literals; in templates only inside `{{ }}` or
 * `{% %}`.
 */
import type { ExpressionLanguage, ScopeTree } from "./scope";

export interface CompletionItem {
  label: string;
  detail: string;
  /** Has names below it (`user`, `nodes.hook`): a `.` after it completes further. */
  hasChildren: boolean;
}

export interface CompletionResult {
  /** Where the replaced word starts. */
  from: number;
  options: CompletionItem[];
}

/** A dotted path being typed, with the part after its last dot. */
const PATH_AT_END = /(?:^|[^\w.])((?:[A-Za-z_]\w*\.)*)(\w*)$/;

/**
 * The names that may continue the text before `pos`, or null where nothing fits. Without
 * `explicit` (Ctrl+Space) a bare position offers nothing: only a word or a dot does.
 */
export function completeAt(text: string, pos: number, language: ExpressionLanguage, scope: ScopeTree, explicit = false): CompletionResult | null {
  const before = text.slice(0, pos);
  const expression = language === "template" ? openTemplateCode(before) : before;
  if (expression === null || insideString(expression)) return null;
  const match = PATH_AT_END.exec(expression);
  if (match === null) return null;
  const path = match[1].split(".").filter(Boolean);
  const word = match[2];
  if (path.length === 0 && word === "" && !explicit) return null;
  if (/^\d/.test(word)) return null;
  let level: ScopeTree | undefined = scope;
  for (const name of path) level = level?.[name]?.children;
  if (level === undefined) return null;
  const options = Object.entries(level)
    // The word itself is no suggestion: the field's own text is among what the scope was read from.
    .filter(([name]) => name.startsWith(word) && name !== word)
    .map(([name, entry]) => ({ label: name, detail: entry.detail, hasChildren: entry.children !== undefined }));
  return options.length === 0 ? null : { from: pos - word.length, options };
}

/** The code after the last unclosed `{{` or `{%`, or null when the text there is literal. */
function openTemplateCode(before: string): string | null {
  const open = Math.max(before.lastIndexOf("{{"), before.lastIndexOf("{%"));
  if (open < 0) return null;
  const close = Math.max(before.lastIndexOf("}}"), before.lastIndexOf("%}"));
  return close > open ? null : before.slice(open + 2);
}

/** Whether the end of `code` is inside a '...' or "..." literal. */
function insideString(code: string): boolean {
  let quote: string | null = null;
  for (let index = 0; index < code.length; index++) {
    const char = code[index];
    if (quote !== null && char === "\\") index++;
    else if (quote !== null && char === quote) quote = null;
    else if (quote === null && (char === "'" || char === '"')) quote = char;
  }
  return quote !== null;
}
