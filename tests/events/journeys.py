"""Journey documents for the router's tests: an event trigger in front of a few nodes."""

from typing import Any

WAIT = "PT1H"
"""Long enough that no test ever sees a wait time out (the router's client does not skip time)."""


def triggered(
    key: str,
    event: str,
    nodes: list[dict[str, Any]],
    edges: list[tuple[str, str, str | None]],
    *,
    filter: str | None = None,
    trigger_key: str | None = None,
    **settings: Any,
) -> dict[str, Any]:
    """A document whose trigger node ``start`` fires on ``event``."""
    config: dict[str, Any] = {"kind": "event", "event": event}
    if filter is not None:
        config["filter"] = filter
    if trigger_key is not None:
        config["key"] = trigger_key
    return {
        "key": key,
        "name": key,
        "settings": settings,
        "nodes": [{"id": "start", "type": "trigger", "config": config}, *nodes],
        "edges": [
            {"source": source, "target": target, **({"branch": branch} if branch else {})}
            for source, target, branch in edges
        ],
    }


def ends_at_once(key: str, event: str, **options: Any) -> dict[str, Any]:
    """Trigger, then end: a run that completes as soon as it starts."""
    return triggered(
        key, event, [{"id": "done", "type": "end", "config": {}}], [("start", "done", None)], **options
    )


def calls(key: str, event: str, url: str, **options: Any) -> dict[str, Any]:
    """Trigger, then a webhook to ``url`` carrying the run and its trigger, then end."""
    hook = {
        "id": "hook",
        "type": "webhook",
        "config": {
            "url": url,
            "body": {"run": "{{ run.id }}", "event": "{{ trigger.id }}", "user": "{{ user.id }}"},
        },
    }
    done = {"id": "done", "type": "end", "config": {}}
    return triggered(key, event, [hook, done], [("start", "hook", None), ("hook", "done", None)], **options)


def waits_for(
    key: str,
    event: str,
    awaited: str,
    *,
    wait_filter: str | None = None,
    url: str | None = None,
    **options: Any,
) -> dict[str, Any]:
    """Trigger, wait for ``awaited`` (an hour), then (optionally) a webhook saying which event came."""
    wait_config: dict[str, Any] = {"event": awaited, "timeout": WAIT}
    if wait_filter is not None:
        wait_config["filter"] = wait_filter
    nodes: list[dict[str, Any]] = [
        {"id": "wait", "type": "wait_for_event", "config": wait_config},
        {"id": "done", "type": "end", "config": {}},
    ]
    edges: list[tuple[str, str, str | None]] = [("start", "wait", None), ("wait", "done", "timeout")]
    if url is None:
        edges.append(("wait", "done", "event"))
    else:
        nodes.append(
            {
                "id": "hook",
                "type": "webhook",
                "config": {"url": url, "body": {"run": "{{ run.id }}", "received": "{{ nodes.wait.id }}"}},
            }
        )
        edges += [("wait", "hook", "event"), ("hook", "done", None)]
    return triggered(key, event, nodes, edges, **options)
