"""Graph rules of a journey: ids, the trigger, edges and branches, reachability, cycles, joins.

They run on whatever nodes and edges could be read, even when others are broken, so one bad
node does not hide the rest. Every rule is linear in nodes plus edges: a 1,000-node journey is
checked in a few milliseconds.
"""

from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from journey.dsl.issues import Issue, issue, node_label, pointer
from journey.dsl.registry import BranchKind


@dataclass(slots=True)
class GraphNode:
    """What the graph rules need of a node."""

    index: int
    id: str
    type: str | None
    exits: BranchKind | None
    """The kind of exits of its type; None when the type is unknown."""
    branch_names: tuple[str, ...] | None
    """The named branches; None when they depend on a config that could not be read."""

    @property
    def label(self) -> str:
        return node_label(self.id, self.type)


@dataclass(slots=True)
class GraphEdge:
    """What the graph rules need of an edge."""

    index: int
    key: str
    """The edge's id, or the one derived from its ends and branch."""
    source: str
    target: str
    branch: str | None
    has_id: bool = True
    """Whether the document gives the id (otherwise ``key`` is derived)."""

    @property
    def label(self) -> str:
        return f"Edge '{self.key}'" if self.has_id else f"Edge from '{self.source}' to '{self.target}'"


def graph_issues(nodes: Sequence[GraphNode], edges: Sequence[GraphEdge]) -> list[Issue]:
    """Every graph problem of these nodes and edges (the first of two nodes with one id counts)."""
    return list(_Graph(nodes, edges).issues())


class _Graph:
    def __init__(self, nodes: Sequence[GraphNode], edges: Sequence[GraphEdge]) -> None:
        self.all_nodes = nodes
        self.all_edges = edges
        self.nodes: dict[str, GraphNode] = {}
        for node in nodes:
            self.nodes.setdefault(node.id, node)
        self.edges = [edge for edge in edges if edge.source in self.nodes and edge.target in self.nodes]
        self.outgoing: dict[str, list[GraphEdge]] = defaultdict(list)
        self.incoming: dict[str, list[GraphEdge]] = defaultdict(list)
        for edge in self.edges:
            self.outgoing[edge.source].append(edge)
            self.incoming[edge.target].append(edge)
        self.triggers = [node for node in self.nodes.values() if node.type == "trigger"]

    def issues(self) -> Iterator[Issue]:
        yield from self._duplicate_ids()
        yield from self._trigger_count()
        yield from self._edge_ends()
        for node in self.nodes.values():
            yield from self._branches(node, self.outgoing.get(node.id, []))
        yield from self._reachability()
        yield from self._cycles()
        yield from self._joins()

    def _duplicate_ids(self) -> Iterator[Issue]:
        for node in self.all_nodes:
            first = self.nodes[node.id]
            if first is not node:
                yield issue(
                    "duplicate_node_id",
                    f"{node.label}: node #{first.index + 1} already has the id '{node.id}'",
                    node_id=node.id,
                    path=pointer("nodes", node.index, "id"),
                )
        seen: dict[str, GraphEdge] = {}
        for edge in self.all_edges:
            first_edge = seen.setdefault(edge.key, edge)
            if first_edge is not edge:
                same = "has the same id" if edge.has_id else "already connects them the same way"
                yield issue(
                    "duplicate_edge_id",
                    f"{edge.label}: edge #{first_edge.index + 1} {same}",
                    edge_id=edge.key,
                    path=pointer("edges", edge.index),
                )

    def _trigger_count(self) -> Iterator[Issue]:
        if not self.triggers:
            yield issue("no_trigger", "The journey has no trigger: add one to start runs", path="/nodes")
        for extra in self.triggers[1:]:
            yield issue(
                "multiple_triggers",
                f"{extra.label}: a journey has one trigger, and '{self.triggers[0].id}' is already one",
                node_id=extra.id,
                path=pointer("nodes", extra.index),
            )

    def _edge_ends(self) -> Iterator[Issue]:
        for edge in self.all_edges:
            if edge.source not in self.nodes:
                yield issue(
                    "edge_unknown_source",
                    f"{edge.label} starts at '{edge.source}', which is not a node",
                    path=pointer("edges", edge.index, "source"),
                    edge_id=edge.key,
                )
            elif self.nodes[edge.source].exits == "none":
                yield issue(
                    "edge_from_end",
                    f"{edge.label} leaves {self.nodes[edge.source].label}, which ends the path",
                    node_id=edge.source,
                    path=pointer("edges", edge.index, "source"),
                    edge_id=edge.key,
                )
            if edge.target not in self.nodes:
                yield issue(
                    "edge_unknown_target",
                    f"{edge.label} goes to '{edge.target}', which is not a node",
                    path=pointer("edges", edge.index, "target"),
                    edge_id=edge.key,
                )
            elif self.nodes[edge.target].type == "trigger":
                yield issue(
                    "edge_into_trigger",
                    f"{edge.label} goes into {self.nodes[edge.target].label}; a trigger only starts runs",
                    node_id=edge.target,
                    path=pointer("edges", edge.index, "target"),
                    edge_id=edge.key,
                )

    def _branches(self, node: GraphNode, out: list[GraphEdge]) -> Iterator[Issue]:
        if node.exits in ("single", "any"):
            yield from self._unnamed_exits(node, out)
        elif node.exits in ("fixed", "derived"):
            yield from self._named_exits(node, out)

    def _unnamed_exits(self, node: GraphNode, out: list[GraphEdge]) -> Iterator[Issue]:
        unnamed = 0
        for edge in out:
            if edge.branch is not None:
                yield _edge_issue(
                    "unknown_branch",
                    f"{edge.label}: {node.label} has no branch '{edge.branch}'; remove the branch",
                    edge,
                    "branch",
                )
                continue
            unnamed += 1
            if unnamed > 1 and node.exits == "single":
                yield _edge_issue(
                    "duplicate_branch",
                    f"{edge.label}: {node.label} has one exit and another edge already leaves it",
                    edge,
                    "source",
                )
        if node.exits == "any" and not out:
            yield issue(
                "missing_branch",
                f"{node.label} has no outgoing edge; each edge starts a branch",
                node_id=node.id,
                path=pointer("nodes", node.index),
            )
        if node.exits == "single" and not out:
            yield issue(
                "path_without_end",
                f"{node.label} has no outgoing edge: the path stops here without an end node",
                node_id=node.id,
                path=pointer("nodes", node.index),
            )

    def _named_exits(self, node: GraphNode, out: list[GraphEdge]) -> Iterator[Issue]:
        names = node.branch_names
        taken: set[str] = set()
        for edge in out:
            if edge.branch is None:
                expected = f": one of {_quoted(names)}" if names else ""
                yield _edge_issue(
                    "branch_required",
                    f"{edge.label}: {node.label} has several branches; name the branch{expected}",
                    edge,
                    "branch",
                )
            elif names is not None and edge.branch not in names:
                yield _edge_issue(
                    "unknown_branch",
                    f"{edge.label}: {node.label} has no branch '{edge.branch}' (it has {_quoted(names)})",
                    edge,
                    "branch",
                )
            elif edge.branch in taken:
                yield _edge_issue(
                    "duplicate_branch",
                    f"{edge.label}: branch '{edge.branch}' of {node.label} is already connected",
                    edge,
                    "branch",
                )
            else:
                taken.add(edge.branch)
        for name in names or ():
            if name not in taken:
                yield issue(
                    "missing_branch",
                    f"{node.label}: branch '{name}' is not connected to anything",
                    node_id=node.id,
                    path=pointer("nodes", node.index),
                )

    def _reachability(self) -> Iterator[Issue]:
        if not self.triggers:
            return
        reached = self._reachable_from([self.triggers[0].id])
        for node in self.nodes.values():
            if node.id not in reached and node.type != "trigger":
                yield issue(
                    "unreachable_node",
                    f"{node.label} cannot be reached from the trigger",
                    node_id=node.id,
                    path=pointer("nodes", node.index),
                )

    def _cycles(self) -> Iterator[Issue]:
        """A cycle must pass through a loop node, and a loop's body must come back to it.

        One pass finds the strongly connected components; only the components that hold a
        loop are searched again without their loop nodes, for cycles that avoid them."""
        triggers = {node.id for node in self.triggers}
        components = _components(self.nodes, self._successors(leave_out=triggers))
        component_of = {
            node_id: number for number, component in enumerate(components) for node_id in component
        }
        for component in components:
            loops = {node_id for node_id in component if self.nodes[node_id].type == "loop"}
            if not loops:
                yield from self._cycle_issue(component)
                continue
            rest = [node_id for node_id in component if node_id not in loops]
            inside = set(rest)
            successors = {
                node_id: [edge.target for edge in self.outgoing[node_id] if edge.target in inside]
                for node_id in rest
            }
            for part in _components(rest, successors):
                yield from self._cycle_issue(part)
        for loop in self.nodes.values():
            if loop.type != "loop":
                continue
            for edge in self.outgoing[loop.id]:
                if edge.branch == "body" and component_of[edge.target] != component_of[loop.id]:
                    yield issue(
                        "loop_body_open",
                        f"{loop.label}: the body branch never leads back to the loop node",
                        node_id=loop.id,
                        path=pointer("nodes", loop.index),
                    )

    def _cycle_issue(self, component: list[str]) -> Iterator[Issue]:
        """The issue of a component without loop nodes, if it is a cycle (or a node's edge to itself)."""
        first = self.nodes[component[0]]
        if len(component) == 1 and not any(edge.target == first.id for edge in self.outgoing[first.id]):
            return
        first = min((self.nodes[node_id] for node_id in component), key=lambda node: node.index)
        shown = _quoted(component[:6]) + (", ..." if len(component) > 6 else "")
        yield issue(
            "cycle_without_loop",
            f"{first.label}: {shown} form a cycle without a loop node; use a loop to repeat",
            node_id=first.id,
            path=pointer("nodes", first.index),
        )

    def _joins(self) -> Iterator[Issue]:
        joins = [node for node in self.nodes.values() if node.type == "join"]
        if not joins:
            return
        starts = [
            edge.target
            for node in self.nodes.values()
            if node.type == "parallel"
            for edge in self.outgoing[node.id]
        ]
        after_parallel = self._reachable_from(starts)
        for join in joins:
            inputs = len(self.incoming[join.id])
            if inputs < 2:
                yield issue(
                    "join_needs_two_inputs",
                    f"{join.label} has {_count(inputs, 'incoming edge')}; it joins two or more",
                    node_id=join.id,
                    path=pointer("nodes", join.index),
                )
            if join.id not in after_parallel:
                yield issue(
                    "join_outside_parallel",
                    f"{join.label}: no parallel node leads here, so there are no branches to wait for",
                    node_id=join.id,
                    path=pointer("nodes", join.index),
                )

    def _successors(self, leave_out: set[str]) -> dict[str, list[str]]:
        """Successors by node, leaving out every edge that touches a node of ``leave_out``."""
        successors: dict[str, list[str]] = defaultdict(list)
        for edge in self.edges:
            if edge.source not in leave_out and edge.target not in leave_out:
                successors[edge.source].append(edge.target)
        return successors

    def _reachable_from(self, starts: Iterable[str]) -> set[str]:
        reached = set(starts)
        queue = deque(reached)
        while queue:
            for edge in self.outgoing.get(queue.popleft(), ()):
                if edge.target not in reached:
                    reached.add(edge.target)
                    queue.append(edge.target)
        return reached


def _edge_issue(code: str, message: str, edge: GraphEdge, field: str) -> Issue:
    return issue(
        code,
        message,
        node_id=edge.source,
        edge_id=edge.key,
        path=pointer("edges", edge.index, field),
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _quoted(names: Iterable[str] | None) -> str:
    return ", ".join(f"'{name}'" for name in names or ())


def _components(vertices: Iterable[str], successors: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected components (Tarjan's algorithm, iterative: journeys can be deep)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for root in vertices:
        if root in index:
            continue
        work = [(root, iter(successors.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            vertex, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(successors.get(child, ()))))
                elif child in on_stack:
                    low[vertex] = min(low[vertex], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[vertex])
            if low[vertex] == index[vertex]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == vertex:
                        break
                components.append(component[::-1])
    return components
