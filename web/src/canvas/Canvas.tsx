import {
  Background,
  BackgroundVariant,
  ConnectionLineType,
  Controls,
  type IsValidConnection,
  MarkerType,
  type NodeChange,
  MiniMap,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
} from "@xyflow/react";
import { type DragEvent, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useShallow } from "zustand/react/shallow";

import { JourneyNodeView } from "../nodes/JourneyNodeView";
import { AnnotationView } from "../notes/AnnotationView";
import { type AnnotationNode, splitChanges } from "../notes/annotation";
import { beginBatch, endBatch, isValidConnection, useEditor } from "../state/editor";
import { plainKeys } from "../shortcuts/shortcuts";
import { useSim } from "../state/sim";
import { StatsNotice } from "../stats/StatsOverlay";
import { isViewingVersion, useVersionView } from "../versions/viewing";
import type { JourneyEdge, JourneyNode } from "./convert";
import { edgeAt, insertIntoEditor, useDropTarget } from "./edgeDrop";
import { InsertableEdge } from "./InsertableEdge";

export const DRAG_MIME = "application/x-journey-node-type";
const GRID = 20;
const nodeTypes = { journey: JourneyNodeView, note: AnnotationView, frame: AnnotationView };
const edgeTypes = { insertable: InsertableEdge };
const DELETE_KEYS = plainKeys("delete");
type CanvasNode = JourneyNode | AnnotationNode;
const CATEGORY_COLOURS: Record<string, string> = { trigger: "#f59e0b", action: "#6366f1", flow: "#14b8a6" };

export function Canvas() {
  const { nodes, annotations, edges, onNodesChange, onAnnotationsChange, onEdgesChange, onConnect } = useEditor(
    useShallow((state) => ({
      nodes: state.nodes,
      annotations: state.annotations,
      onAnnotationsChange: state.onAnnotationsChange,
      edges: state.edges,
      onNodesChange: state.onNodesChange,
      onEdgesChange: state.onEdgesChange,
      onConnect: state.onConnect,
    })),
  );
  const readOnly = useVersionView((state) => state.viewing !== null);
  const edgeIssues = useEditor(useShallow((state) => state.issues.filter((issue) => issue.edge_id).map((issue) => issue.edge_id as string)));
  const { screenToFlowPosition, fitView } = useReactFlow();
  // A small graph (a new journey) starts at the left at a readable zoom; a larger one is fitted
  // once every node has its size.
  const [fit] = useState(() => nodes.length > 2);
  const initialized = useNodesInitialized();
  const fitted = useRef(false);
  useEffect(() => {
    if (!fit || !initialized || fitted.current) return;
    fitted.current = true;
    void fitView({ padding: 0.15, maxZoom: 1 });
  }, [fit, initialized, fitView]);

  const highlight = useSim((state) => state.highlight);
  const dropTarget = useDropTarget(DRAG_MIME);
  const shownEdges = useMemo(() => {
    const broken = new Set(edgeIssues);
    return edges.map((edge) => {
      const classes = [
        broken.has(edge.id) ? "has-error" : "",
        highlight ? (highlight.edges.has(edge.id) ? "on-path" : "off-path") : "",
        edge.id === dropTarget.edgeId ? "drop-target" : "",
      ].filter(Boolean);
      return classes.length > 0 ? { ...edge, className: classes.join(" "), animated: highlight?.edges.has(edge.id) ?? false } : edge;
    });
  }, [edges, edgeIssues, highlight, dropTarget.edgeId]);

  // Annotations come first, so that they are drawn behind the steps.
  const shownNodes = useMemo<CanvasNode[]>(() => (annotations ? [...annotations, ...nodes] : nodes), [annotations, nodes]);
  const onChange = useCallback(
    (changes: NodeChange<CanvasNode>[]) => {
      const split = splitChanges<JourneyNode>(changes);
      if (split.annotations.length > 0) onAnnotationsChange(split.annotations);
      if (split.steps.length > 0) onNodesChange(split.steps);
    },
    [onAnnotationsChange, onNodesChange],
  );

  const validConnection: IsValidConnection<JourneyEdge> = useCallback((connection) => isValidConnection(connection, useEditor.getState()), []);

  const { track, clear } = dropTarget;
  const onDragOver = useCallback(
    (event: DragEvent) => {
      if (event.dataTransfer.types.includes(DRAG_MIME)) {
        event.preventDefault();
        event.dataTransfer.dropEffect = "copy";
        track(event);
      }
    },
    [track],
  );

  const onDrop = useCallback(
    (event: DragEvent) => {
      const nodeType = event.dataTransfer.getData(DRAG_MIME);
      if (!nodeType || isViewingVersion()) return;
      event.preventDefault();
      clear();
      const point = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const position = { x: Math.round((point.x - 110) / GRID) * GRID, y: Math.round((point.y - 30) / GRID) * GRID };
      insertIntoEditor(edgeAt(event.clientX, event.clientY), nodeType, position);
    },
    [clear, screenToFlowPosition],
  );

  const minimapColour = useCallback((node: CanvasNode) => {
    if (node.type !== "journey") return "#fde68a";
    const spec = useEditor.getState().registry.byType.get(node.data.nodeType);
    return CATEGORY_COLOURS[spec?.category ?? ""] ?? "#94a3b8";
  }, []);

  return (
    <div className={`canvas${highlight ? " sim-on" : ""}${readOnly ? " read-only" : ""}`} data-testid="canvas" onDragOver={onDragOver} onDragLeave={dropTarget.leave} onDrop={onDrop}>
      <ReactFlow<CanvasNode, JourneyEdge>
        nodes={shownNodes}
        edges={shownEdges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        isValidConnection={validConnection}
        onNodeDragStart={beginBatch}
        onNodeDragStop={endBatch}
        onBeforeDelete={async () => {
          beginBatch();
          setTimeout(endBatch, 0);
          return true;
        }}
        snapToGrid
        snapGrid={[GRID, GRID]}
        defaultViewport={{ x: 60, y: 200, zoom: 0.9 }}
        minZoom={0.2}
        maxZoom={2}
        deleteKeyCode={readOnly ? null : DELETE_KEYS}
        connectionLineType={ConnectionLineType.SmoothStep}
        defaultEdgeOptions={{ type: "insertable", markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 } }}
        proOptions={{ hideAttribution: true }}
      >
        <Background variant={BackgroundVariant.Dots} gap={GRID} size={1.2} color="#cbd5e1" />
        <MiniMap<CanvasNode> pannable zoomable nodeColor={minimapColour} nodeBorderRadius={6} data-testid="minimap" />
        <Controls data-testid="controls" />
      </ReactFlow>
      <StatsNotice />
    </div>
  );
}
