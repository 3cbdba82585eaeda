/**
 * The JSON view's pure side: the document as text, and text (typed or imported) back into a
 * document for the editor. Only the JSON syntax and the envelope are checked here; everything
 * else is the server's validation, shown in Problems as for any other edit.
 */
import { type JourneyDocument, isJsonObject } from "../api/document";
import { parseJson } from "./syntax";

/** `offset`: where in the text a syntax error is, for the caret. */
export type Prepared = { ok: true; doc: JourneyDocument; notice: string | null } | { ok: false; message: string; offset?: number };

export function formatDocument(doc: JourneyDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * Parse `text` into a document for the journey `key`. A document for another key (an import
 * of another journey) keeps this journey's key, and `notice` says so.
 */
export function prepareDocument(text: string, key: string): Prepared {
  const parsed = parseJson(text);
  if (!parsed.ok) return { ok: false, message: parsed.message, offset: parsed.offset };
  if (!isJsonObject(parsed.value)) return { ok: false, message: "The document must be a JSON object ({ … }), with its nodes and edges" };
  const doc = { ...parsed.value } as JourneyDocument;
  let notice: string | null = null;
  if (doc.key !== key) {
    notice =
      typeof doc.key === "string" ? `The document is for journey '${doc.key}'; it was loaded as '${key}', this journey's key` : `The document had no key; it was loaded as '${key}'`;
    doc.key = key;
  }
  return { ok: true, doc, notice };
}

/** The file name an export is saved under. */
export function exportFileName(key: string): string {
  return `${key || "journey"}.json`;
}
