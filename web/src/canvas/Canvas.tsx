import {
  Background,
  BackgroundVariant,
  ConnectionLineType,
  Controls,
  type IsValidConnection,
  MarkerType,
  MiniMap,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
} from "@xyflow/react";
import { type DragEvent, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useShallow } from "zustand/react/shallow";

import { JourneyNodeView } from "../nodes/JourneyNodeView";
import { beginBatch, endBatch, isValidConnection, useEditor } from "../state/editor";
import { useSim } from "../state/sim";
import { isViewingVersion, useVersionView } from "../versions/viewing";
import type { JourneyEdge, JourneyNode } from "./convert";

export const DRAG_MIME = "application/x-journey-node-type";
const GRID = 20;
const nodeTypes = { journey: JourneyNodeView };
const CATEGORY_COLOURS: Record<string, string> = { trigger: "#f59e0b", action: "#6366f1", flow: "#14b8a6" };

export function Canvas() {
  const { nodes, edges, onNodesChange, onEdgesChange, onConnect, addNode } = useEditor(
    useShallow((state) => ({
      nodes: state.nodes,
      edges: state.edges,
      onNodesChange: state.onNodesChange,
      onEdgesChange: state.onEdgesChange,
      onConnect: state.onConnect,
      addNode: state.addNode,
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
  const shownEdges = useMemo(() => {
    const broken = new Set(edgeIssues);
    return edges.map((edge) => {
      const classes = [broken.has(edge.id) ? "has-error" : "", highlight ? (highlight.edges.has(edge.id) ? "on-path" : "off-path") : ""].filter(Boolean);
      return classes.length > 0 ? { ...edge, className: classes.join(" "), animated: highlight?.edges.has(edge.id) ?? false } : edge;
    });
  }, [edges, edgeIssues, highlight]);

  const validConnection: IsValidConnection<JourneyEdge> = useCallback((connection) => isValidConnection(connection, useEditor.getState()), []);

  const onDragOver = useCallback((event: DragEvent) => {
    if (event.dataTransfer.types.includes(DRAG_MIME)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
    }
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const nodeType = event.dataTransfer.getData(DRAG_MIME);
      if (!nodeType || isViewingVersion()) return;
      event.preventDefault();
      const point = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      addNode(nodeType, { x: Math.round((point.x - 110) / GRID) * GRID, y: Math.round((point.y - 30) / GRID) * GRID });
    },
    [addNode, screenToFlowPosition],
  );

  const minimapColour = useCallback((node: JourneyNode) => {
    const spec = useEditor.getState().registry.byType.get(node.data.nodeType);
    return CATEGORY_COLOURS[spec?.category ?? ""] ?? "#94a3b8";
  }, []);

  return (
    <div className={`canvas${highlight ? " sim-on" : ""}${readOnly ? " read-only" : ""}`} data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<JourneyNode, JourneyEdge>
        nodes={nodes}
        edges={shownEdges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
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
        deleteKeyCode={readOnly ? null : ["Delete", "Backspace"]}
        connectionLineType={ConnectionLineType.SmoothStep}
        defaultEdgeOptions={{ type: "smoothstep", markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 } }}
        proOptions={{ hideAttribution: true }}
      >
        <Background variant={BackgroundVariant.Dots} gap={GRID} size={1.2} color="#cbd5e1" />
        <MiniMap<JourneyNode> pannable zoomable nodeColor={minimapColour} nodeBorderRadius={6} data-testid="minimap" />
        <Controls data-testid="controls" />
      </ReactFlow>
    </div>
  );
}
