"""A hypothesis strategy for random valid journeys that use every node type.

A journey is built as a sequence of blocks; each block has one entry node and a list of open
exits (node id and branch) that the next block's entry closes. Decisions, waits, parallels
and loops nest sequences inside themselves, so joins sit inside loops, parallels inside
parallels, and so on. Loops are bounded small and waits time out, so every run ends.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

Exit = tuple[str, str | None]
EVENT_NAMES = ("clicked", "paid", "stop")
CONDITIONS = (
    "input.n > 2",
    "input.n % 2 == 0",
    "has(user.vip) && user.vip",
    "user.score > 5",
    "size(input.tags) > 1",
    "now > timestamp('2026-01-01T00:00:00Z')",
)


MAX_BRANCHING_DEPTH = 5
"""Branches nest at most this deep: unbounded nesting overflowed Python's stack now and then."""


@dataclass
class _Builder:
    draw: Callable[[Any], Any]
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    count: int = 0
    loop_depth: int = 0
    """Inside a loop body no block may end the branch: the body must lead back to the loop."""

    def add(self, node_type: str, config: dict[str, Any] | None = None, **fields: Any) -> str:
        self.count += 1
        node_id = f"{node_type}_{self.count}"
        self.nodes.append({"id": node_id, "type": node_type, "config": config or {}, **fields})
        return node_id

    def connect(self, exits: list[Exit], target: str) -> None:
        for source, branch in exits:
            edge: dict[str, Any] = {"source": source, "target": target}
            if branch is not None:
                edge["branch"] = branch
            self.edges.append(edge)

    def sequence(self, depth: int, exits: list[Exit], length: int | None = None) -> list[Exit]:
        """Append blocks after ``exits``; returns the open exits at the end (none after an end)."""
        for _ in range(length if length is not None else self.draw(st.integers(1, 3))):
            if not exits:
                break
            exits = self.block(depth, exits)
        return exits

    def block(self, depth: int, exits: list[Exit]) -> list[Exit]:
        kinds = ["action", "action", "delay", "subjourney"]
        if depth < MAX_BRANCHING_DEPTH:
            kinds += ["condition", "switch", "split", "wait"]
        if not self.loop_depth:
            kinds.append("end")
        if depth < 2:
            kinds += ["parallel", "parallel", "loop", "loop"]
        kind = self.draw(st.sampled_from(kinds))
        block: Callable[[int, list[Exit]], list[Exit]] = getattr(self, f"_{kind}")
        return block(depth, exits)

    def _action(self, depth: int, exits: list[Exit]) -> list[Exit]:
        node_type, config = self.draw(
            st.sampled_from(
                [
                    ("log", {"message": "n={{ input.n }}"}),
                    ("webhook", {"url": "https://hooks.test/{{ user.id }}", "body": {"n": "{{ input.n }}"}}),
                    ("webhook", {"url": "https://hooks.test", "message": True}),
                    ("update_attributes", {"set": {"vip": True}, "increment": {"score": 3}}),
                    ("emit_event", {"event": "paid", "properties": {"x": 1}}),
                    (
                        "send_email",
                        {"to": "{{ user.email | default('a@b.c') }}", "subject": "Hi", "text": "x"},
                    ),
                ]
            )
        )
        extra = {"on_error": "continue"} if self.draw(st.booleans()) else {}
        node_id = self.add(node_type, config, **extra)
        self.connect(exits, node_id)
        return [(node_id, None)]

    def _delay(self, depth: int, exits: list[Exit]) -> list[Exit]:
        config = self.draw(
            st.sampled_from(
                [
                    {"duration": "PT10M"},
                    {"duration": "P2D"},
                    {"until": "2026-03-03T10:00:00Z", "offset": "-PT1H"},
                    {"until": "2020-01-01T00:00:00Z"},
                    {"until": "{{ input.when }}"},
                    {"time_of_day": "09:30", "weekdays": ["mon", "fri"], "timezone": "Europe/Paris"},
                    {"time_of_day": "02:30", "timezone": "{{ user.zone | default('UTC') }}"},
                ]
            )
        )
        node_id = self.add("delay", config)
        self.connect(exits, node_id)
        return [(node_id, None)]

    def _end(self, depth: int, exits: list[Exit]) -> list[Exit]:
        config = self.draw(st.sampled_from([{}, {}, {"status": "failed", "reason": "gave up"}]))
        self.connect(exits, self.add("end", config))
        return []

    def _subjourney(self, depth: int, exits: list[Exit]) -> list[Exit]:
        node_id = self.add("subjourney", {"journey": "child", "wait": self.draw(st.booleans())})
        self.connect(exits, node_id)
        return [(node_id, None)]

    def _branches(self, depth: int, node_id: str, branches: list[str]) -> list[Exit]:
        merged: list[Exit] = []
        for branch in branches:
            merged += self.sequence(depth + 1, [(node_id, branch)], self.draw(st.integers(0, 2)))
        return merged

    def _condition(self, depth: int, exits: list[Exit]) -> list[Exit]:
        node_id = self.add("condition", {"expression": self.draw(st.sampled_from(CONDITIONS))})
        self.connect(exits, node_id)
        return self._branches(depth, node_id, ["true", "false"])

    def _switch(self, depth: int, exits: list[Exit]) -> list[Exit]:
        sources = self.draw(st.lists(st.sampled_from(CONDITIONS), min_size=1, max_size=3, unique=True))
        cases = [{"id": f"case{number}", "expression": source} for number, source in enumerate(sources)]
        node_id = self.add("switch", {"cases": cases})
        self.connect(exits, node_id)
        return self._branches(depth, node_id, [case["id"] for case in cases] + ["default"])

    def _split(self, depth: int, exits: list[Exit]) -> list[Exit]:
        variants = [{"id": "a", "weight": self.draw(st.integers(0, 3))}, {"id": "b", "weight": 1}]
        node_id = self.add("split", {"variants": variants})
        self.connect(exits, node_id)
        return self._branches(depth, node_id, ["a", "b"])

    def _wait(self, depth: int, exits: list[Exit]) -> list[Exit]:
        config: dict[str, Any] = {"event": self.draw(st.sampled_from(EVENT_NAMES)), "timeout": "PT6H"}
        source = self.draw(
            st.sampled_from([None, "event.properties.x > 1", "event.properties.x < user.score"])
        )
        if source is not None:
            config["filter"] = source
        node_id = self.add("wait_for_event", config)
        self.connect(exits, node_id)
        return self._branches(depth, node_id, ["event", "timeout"])

    def _parallel(self, depth: int, exits: list[Exit]) -> list[Exit]:
        fork = self.add("parallel")
        self.connect(exits, fork)
        join = self.add("join", {"mode": self.draw(st.sampled_from(["all", "all", "any"]))})
        arrivals = 0
        for _ in range(self.draw(st.integers(2, 3))):
            start = self.block(depth + 1, [(fork, None)])
            ends = self.sequence(depth + 1, start, self.draw(st.integers(0, 1))) if start else []
            self.connect(ends, join)
            arrivals += len(ends)
        for _ in range(2 - arrivals):
            direct = self.add("log", {"message": "branch"})
            self.connect([(fork, None)], direct)
            self.connect([(direct, None)], join)
        return [(join, None)]

    def _loop(self, depth: int, exits: list[Exit]) -> list[Exit]:
        config = self.draw(
            st.sampled_from(
                [
                    {"foreach": "[1, 2, 3]", "max_iterations": 3},
                    {"foreach": "input.tags", "max_iterations": 2},
                    {"while": "input.n > 1", "max_iterations": 2},
                    {"while": "user.score < 10", "max_iterations": 3},
                ]
            )
        )
        loop = self.add("loop", config)
        self.connect(exits, loop)
        self.loop_depth += 1
        body_end = self.sequence(depth + 1, [(loop, "body")], self.draw(st.integers(1, 2)))
        self.loop_depth -= 1
        self.connect(body_end, loop)
        return [(loop, "done")]


@st.composite
def journeys(draw: Callable[[Any], Any]) -> dict[str, Any]:
    """A random valid journey document."""
    builder = _Builder(draw)
    builder.nodes.append({"id": "start", "type": "trigger", "config": {"kind": "manual"}})
    left_open = builder.sequence(0, [("start", None)], draw(st.integers(1, 4)))
    if left_open:
        builder.connect(left_open, builder.add("end"))
    settings: dict[str, Any] = {}
    if draw(st.booleans()):
        settings["exit_on"] = [{"event": "stop", "filter": "event.properties.x == 3"}]
    if draw(st.booleans()):
        settings["max_duration"] = draw(st.sampled_from(["PT5H", "P3D"]))
    if draw(st.booleans()):
        settings["quiet_hours"] = {
            "start": "21:00",
            "end": "08:00",
            "timezone": "{{ user.zone | default('UTC') }}",
        }
    return {
        "key": "random",
        "name": "Random",
        "nodes": builder.nodes,
        "edges": builder.edges,
        "settings": settings,
    }


events = st.lists(
    st.fixed_dictionaries(
        {
            "after": st.sampled_from(["PT1M", "PT30M", "PT2H", "PT7H", "P1D", "P2D"]),
            "name": st.sampled_from(EVENT_NAMES),
            "properties": st.fixed_dictionaries({"x": st.integers(0, 4)}),
        },
        optional={"id": st.sampled_from(["dup-1", "dup-2"])},
    ),
    max_size=6,
)
inputs = st.fixed_dictionaries(
    {
        "n": st.integers(0, 5),
        "tags": st.lists(st.sampled_from(["x", "y", "z"]), max_size=3),
        "when": st.sampled_from(["2026-03-04T08:00:00Z", "2019-01-01", "not a date"]),
    }
)
users = st.fixed_dictionaries(
    {"id": st.sampled_from(["u1", "u2", "u3"])},
    optional={
        "score": st.integers(0, 12),
        "vip": st.booleans(),
        "zone": st.sampled_from(["UTC", "Asia/Tokyo", "America/New_York", "Nowhere/Land"]),
        "email": st.just("ann@example.com"),
    },
)
