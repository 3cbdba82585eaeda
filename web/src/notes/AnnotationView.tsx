import { NodeResizer, NodeToolbar, type NodeProps, useReactFlow } from "@xyflow/react";
import { GripVertical, Trash2 } from "lucide-react";
import { memo } from "react";

import { beginBatch, endBatch, useEditor } from "../state/editor";
import { useVersionView } from "../versions/viewing";
import { type AnnotationNode, FRAME_NODE, NOTE_COLOURS, annotationId, colourOf } from "./annotation";
import "./notes.css";

/**
 * A sticky note or a group frame on the canvas: its text is edited in place, the selected one
 * gets resize handles and a toolbar (colour, delete). A resize is one undo step, like a drag.
 * A frame is moved by its head; its inside lets clicks through to the steps and the pane.
 */
function AnnotationViewImpl({ id, data, selected, type }: NodeProps<AnnotationNode>) {
  const updateAnnotation = useEditor((state) => state.updateAnnotation);
  const { deleteElements } = useReactFlow();
  const group = type === FRAME_NODE;
  const testId = `${group ? "group" : "note"}-${annotationId(id)}`;
  const text = data.text ?? "";
  const readOnly = useVersionView((state) => state.viewing !== null);
  const editable = selected && !readOnly;
  return (
    <div className={group ? "annotation-group" : "annotation-note"} style={{ ["--note-colour" as string]: colourOf(data.color) }} data-testid={testId} data-colour={data.color}>
      <NodeResizer isVisible={editable} minWidth={group ? 160 : 120} minHeight={group ? 100 : 60} onResizeStart={beginBatch} onResizeEnd={endBatch} color="#6366f1" />
      <NodeToolbar isVisible={editable} className="annotation-toolbar" data-testid={`${testId}-toolbar`}>
        {NOTE_COLOURS.map((colour) => (
          <button
            key={colour.name}
            type="button"
            className={`swatch${(data.color ?? NOTE_COLOURS[0].name) === colour.name ? " chosen" : ""}`}
            style={{ background: colour.css }}
            title={colour.name}
            aria-label={`Colour ${colour.name}`}
            onClick={() => updateAnnotation(id, { color: colour.name })}
            data-testid={`${testId}-colour-${colour.name}`}
          />
        ))}
        <button type="button" className="btn icon" title="Delete" aria-label="Delete" onClick={() => void deleteElements({ nodes: [{ id }] })} data-testid={`${testId}-delete`}>
          <Trash2 size={14} />
        </button>
      </NodeToolbar>
      {group ? (
        <div className="annotation-group-head" title="Drag to move the frame">
          <GripVertical size={14} className="annotation-grip" />
          <input
            className="annotation-label nodrag"
            value={text}
            placeholder="Group name"
            readOnly={readOnly}
            aria-label="Group name"
            onChange={(event) => updateAnnotation(id, { text: event.target.value })}
            data-testid={`${testId}-text`}
          />
        </div>
      ) : (
        <textarea
          className="annotation-text nodrag nowheel"
          value={text}
          placeholder="Write a note…"
          readOnly={readOnly}
          aria-label="Note text"
          onChange={(event) => updateAnnotation(id, { text: event.target.value })}
          data-testid={`${testId}-text`}
        />
      )}
    </div>
  );
}

export const AnnotationView = memo(AnnotationViewImpl);
