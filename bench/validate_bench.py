"""How long ``validate()`` takes on a realistic 1,000-node journey (the budget is 50 ms).

The journey strings together the motifs real journeys are made of: decisions (condition,
switch, A/B split), waits (delay, wait_for_event), actions (email, webhook, emit_event,
update_attributes, log), parallel branches with a join, a loop with a body, subjourneys. Every
node has its own expressions and templates, so the first run compiles all of them; later runs
are served by the compile caches, as when the designer saves the same draft again.
"""

import gc
import statistics
import time
from collections.abc import Callable
from typing import Any

from journey.dsl.validate import validate

NODE_COUNT = 1_000
RUNS = 100
BUDGET_MS = 50.0


class _Builder:
    """Appends motifs to a journey; ``cursor`` is the handle the next motif continues from."""

    def __init__(self) -> None:
        self.nodes: list[dict[str, Any]] = []
        self.edges: list[dict[str, Any]] = []
        self.cursor: tuple[str, str | None] = ("start", None)
        self.add(
            "start",
            "trigger",
            {"kind": "event", "event": "cart_updated", "filter": "event.properties.total > 0"},
        )

    def add(self, node_id: str, node_type: str, config: dict[str, Any], **extra: Any) -> str:
        position = {"x": 240.0 * (len(self.nodes) % 8), "y": 120.0 * (len(self.nodes) // 8)}
        self.nodes.append({"id": node_id, "type": node_type, "config": config, "position": position, **extra})
        return node_id

    def link(self, source: str, target: str, branch: str | None = None) -> None:
        edge: dict[str, Any] = {"id": f"e{len(self.edges)}", "source": source, "target": target}
        if branch is not None:
            edge["branch"] = branch
        self.edges.append(edge)

    def step(self, node_id: str) -> None:
        """Connect the cursor to ``node_id`` and continue from it."""
        self.link(self.cursor[0], node_id, self.cursor[1])
        self.cursor = (node_id, None)

    def document(self) -> dict[str, Any]:
        return {
            "dsl_version": "1",
            "key": "benchmark",
            "name": "A realistic 1,000-node journey",
            "settings": {
                "exit_on": [{"event": "unsubscribed", "filter": "event.properties.list == 'all'"}],
                "quiet_hours": {
                    "start": "21:00",
                    "end": "08:00",
                    "timezone": "{{ user.timezone | default('UTC') }}",
                },
                "max_duration": "P90D",
            },
            "nodes": self.nodes,
            "edges": self.edges,
        }


def _email(n: int) -> dict[str, Any]:
    return {
        "to": "{{ user.email }}",
        "subject": f"Step {n}: {{{{ trigger.properties.items | length }}}} items are waiting",
        "text": f"Hi {{{{ user.first_name | default('there') }}}}, offer {n} ends {{{{ input.deadline }}}}.",
    }


def _decision(b: _Builder, n: int) -> None:
    test = b.add(
        f"vip_{n}", "condition", {"expression": f"user.lifetime_value > {n * 10} && user.country == 'FR'"}
    )
    b.step(test)
    mail = b.add(f"mail_{n}", "send_email", _email(n), retry={"max_attempts": 5, "initial_interval": "PT2S"})
    hook = b.add(
        f"crm_{n}",
        "webhook",
        {
            "url": f"https://crm.example.com/users/{{{{ user.id }}}}/touch/{n}",
            "headers": {"Authorization": "Bearer {{ secrets.crm_token }}"},
            "body": {
                "step": n,
                "cart": "{{ trigger.properties.cart_id }}",
                "tags": ["journey", "{{ journey.key }}"],
            },
        },
        timeout="PT10S",
        on_error="continue",
    )
    merge = b.add(f"note_{n}", "log", {"message": f"decision {n} done for {{{{ user.id }}}}"})
    b.link(test, mail, "true")
    b.link(test, hook, "false")
    b.link(mail, merge)
    b.link(hook, merge)
    b.cursor = (merge, None)


def _wait(b: _Builder, n: int) -> None:
    b.step(b.add(f"pause_{n}", "delay", {"duration": f"PT{n % 23 + 1}H"}))
    wait = b.add(
        f"wait_{n}",
        "wait_for_event",
        {
            "event": "order_completed",
            "filter": f"event.properties.cart_id == input.cart_id && {n} > 0",
            "timeout": "P2D",
        },
    )
    b.step(wait)
    bought = b.add(
        f"bought_{n}", "update_attributes", {"set": {"last_order": "{{ nodes.wait_" + f"{n}.id }}}}"}}
    )
    nudge = b.add(f"nudge_{n}", "emit_event", {"event": "cart_nudged", "properties": {"step": f"{n}"}})
    merge = b.add(
        f"tod_{n}", "delay", {"time_of_day": "09:30", "timezone": "{{ user.timezone | default('UTC') }}"}
    )
    b.link(wait, bought, "event")
    b.link(wait, nudge, "timeout")
    b.link(bought, merge)
    b.link(nudge, merge)
    b.cursor = (merge, None)


def _route(b: _Builder, n: int) -> None:
    cases = [{"id": f"tier{k}", "expression": f"user.tier == {k} && user.score >= {n + k}"} for k in range(3)]
    switch = b.add(f"route_{n}", "switch", {"cases": cases})
    b.step(switch)
    merge = b.add(f"routed_{n}", "log", {"message": f"routed {n}", "level": "debug"})
    for handle in [*(case["id"] for case in cases), "default"]:
        target = b.add(f"{handle}_{n}", "update_attributes", {"increment": {f"seen_{handle}": 1}})
        b.link(switch, target, handle)
        b.link(target, merge)
    b.cursor = (merge, None)


def _experiment(b: _Builder, n: int) -> None:
    split = b.add(f"ab_{n}", "split", {"variants": [{"id": "a", "weight": 50}, {"id": "b", "weight": 50}]})
    b.step(split)
    merge = b.add(f"ab_done_{n}", "log", {"message": f"variant {{{{ nodes.ab_{n}.variant }}}} of test {n}"})
    for variant in ("a", "b"):
        mail = b.add(f"ab_{variant}_{n}", "send_email", _email(n * 10 + len(variant)))
        b.link(split, mail, variant)
        b.link(mail, merge)
    b.cursor = (merge, None)


def _fan_out(b: _Builder, n: int) -> None:
    fork = b.add(f"fork_{n}", "parallel", {})
    b.step(fork)
    join = b.add(f"join_{n}", "join", {"mode": "all" if n % 2 else "any"})
    for branch in range(3):
        action = b.add(
            f"notify_{n}_{branch}",
            "webhook",
            {"method": "PUT", "url": f"https://hooks.example.com/{n}/{branch}", "body": "{{ user.id }}"},
        )
        b.link(fork, action)
        b.link(action, join)
    b.cursor = (join, None)


def _repeat(b: _Builder, n: int) -> None:
    loop = b.add(f"each_{n}", "loop", {"foreach": "trigger.properties.items", "max_iterations": 100})
    b.step(loop)
    item = b.add(
        f"item_{n}",
        "emit_event",
        {"event": "item_reminded", "properties": {"sku": "{{ nodes.each_" + f"{n}.item.sku }}}}", "n": n}},
    )
    track = b.add(f"track_{n}", "log", {"message": "item {{ nodes.each_" + f"{n}.index }}}} of loop {n}"})
    b.link(loop, item, "body")
    b.link(item, track)
    b.link(track, loop)
    b.cursor = (loop, "done")
    b.step(b.add(f"child_{n}", "subjourney", {"journey": "loyalty-points", "input": {"loop": f"{n}"}}))


MOTIFS: tuple[Callable[[_Builder, int], None], ...] = (
    _decision,
    _wait,
    _route,
    _experiment,
    _fan_out,
    _repeat,
)


def build_journey(node_count: int = NODE_COUNT) -> dict[str, Any]:
    """A valid journey of ``node_count`` nodes (give or take a motif), ending with an end node."""
    builder = _Builder()
    n = 0
    while len(builder.nodes) < node_count - 1:
        MOTIFS[n % len(MOTIFS)](builder, n)
        n += 1
    builder.step(builder.add("done", "end", {"status": "completed"}))
    return builder.document()


def _timed(document: dict[str, Any]) -> tuple[float, list[Any]]:
    started = time.perf_counter()
    issues = validate(document)
    return (time.perf_counter() - started) * 1000, issues


def main() -> None:
    document = build_journey()
    cold_ms, issues = _timed(document)
    if issues:
        raise SystemExit(f"the benchmark journey should be clean, got {len(issues)} issues: {issues[:3]}")
    gc.collect()
    timings = sorted(_timed(document)[0] for _ in range(RUNS))
    broken = build_journey()
    broken["nodes"][1]["config"] = {"expression": "user.lifetime_value >"}
    broken["nodes"][2]["id"] = "not valid"
    broken["edges"].pop()
    broken_issues = validate(broken)
    broken_ms = statistics.median(_timed(broken)[0] for _ in range(RUNS // 5))
    mean, p50 = statistics.fmean(timings), statistics.median(timings)
    p99 = timings[min(len(timings) - 1, round(0.99 * (len(timings) - 1)))]
    verdict = "within" if p50 < BUDGET_MS else "OVER"
    print(f"validate: {len(document['nodes'])} nodes, {len(document['edges'])} edges, {RUNS} runs")
    print(f"  first run (compiles every expression and template): {cold_ms:.1f} ms")
    print(
        f"  mean {mean:.1f} ms, p50 {p50:.1f} ms, p99 {p99:.1f} ms, best {timings[0]:.1f} ms"
        f" (p50 {verdict} the {BUDGET_MS:.0f} ms budget)"
    )
    errors = sum(1 for item in broken_issues if item.severity == "error")
    print(f"  p50 with two broken nodes and a missing edge ({errors} errors): {broken_ms:.1f} ms")


if __name__ == "__main__":
    main()
