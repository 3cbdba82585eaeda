import { Check, Download, Undo2, Upload, X } from "lucide-react";
import { type ChangeEvent, useMemo, useRef, useState } from "react";

import { currentDocument, useEditor } from "../state/editor";
import { useUi } from "../state/ui";
import { exportFileName, formatDocument, prepareDocument } from "./document";
import "./json.css";

/**
 * The journey document as JSON, under the canvas. Until it is typed into, the text follows the
 * drawing; "Apply" (or an import) puts the text in place of the drawing as one undo step, and
 * the server's validation then reports in Problems as usual.
 */
export function JsonView({ journeyKey, onClose }: { journeyKey: string; onClose: () => void }) {
  const toast = useUi((state) => state.toast);
  const meta = useEditor((state) => state.meta);
  const nodes = useEditor((state) => state.nodes);
  const edges = useEditor((state) => state.edges);
  const annotations = useEditor((state) => state.annotations);
  const shown = useMemo(() => formatDocument(currentDocument({ meta, nodes, edges, annotations })), [meta, nodes, edges, annotations]);
  const [edited, setEdited] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const textArea = useRef<HTMLTextAreaElement>(null);
  const text = edited ?? shown;

  const load = (source: string, what: string): boolean => {
    const prepared = prepareDocument(source, journeyKey);
    if (!prepared.ok) {
      setError(`${what}: ${prepared.message}. Nothing was changed.`);
      setNotice(null);
      if (prepared.offset !== undefined && source === text) {
        textArea.current?.setSelectionRange(prepared.offset, prepared.offset);
        textArea.current?.focus();
      }
      return false;
    }
    const problems = useEditor.getState().replaceDocument(prepared.doc);
    if (problems.length > 0) {
      setError(`${what}: the canvas cannot draw this document: ${problems.map((problem) => problem.message).join("; ")}. Nothing was changed.`);
      setNotice(null);
      return false;
    }
    setEdited(null);
    setError(null);
    setNotice(prepared.notice);
    toast("success", `${what}: loaded into the draft (Ctrl+Z undoes it)`);
    return true;
  };

  const exportFile = () => {
    const blob = new Blob([formatDocument(currentDocument())], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = exportFileName(journeyKey);
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };

  const importFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (file === undefined) return;
    load(await file.text(), `Import of ${file.name}`);
  };

  return (
    <section className="json-view" data-testid="json-view" aria-label="Journey document as JSON">
      <div className="json-bar">
        <span className="panel-title">Document JSON</span>
        {edited !== null && <span className="muted small">edited, not applied</span>}
        <div className="spacer" />
        <button type="button" className="btn" onClick={() => load(text, "JSON")} disabled={edited === null} title="Replace the drawing with this JSON" data-testid="json-apply">
          <Check size={15} /> Apply
        </button>
        <button type="button" className="btn" onClick={() => setEdited(null)} disabled={edited === null} title="Throw away the edits of the text" data-testid="json-revert">
          <Undo2 size={15} /> Revert
        </button>
        <button type="button" className="btn" onClick={exportFile} title={`Download ${exportFileName(journeyKey)}`} data-testid="json-export">
          <Download size={15} /> Export
        </button>
        <button type="button" className="btn" onClick={() => fileInput.current?.click()} title="Load a .json file into the draft" data-testid="json-import">
          <Upload size={15} /> Import
        </button>
        <input ref={fileInput} type="file" accept=".json,application/json" hidden onChange={(event) => void importFile(event)} data-testid="json-import-file" />
        <button type="button" className="btn icon" onClick={onClose} title="Close the JSON view" aria-label="Close the JSON view" data-testid="json-close">
          <X size={15} />
        </button>
      </div>
      {error !== null && (
        <div className="error-box json-message" role="alert" data-testid="json-error">
          {error}
        </div>
      )}
      {notice !== null && (
        <div className="json-notice json-message" role="status" data-testid="json-notice">
          {notice}
        </div>
      )}
      <textarea
        ref={textArea}
        className="json-text"
        value={text}
        spellCheck={false}
        aria-label="Document JSON"
        onChange={(event) => {
          setEdited(event.target.value);
          setError(null);
        }}
        data-testid="json-text"
      />
    </section>
  );
}
