"""Every built-in node type, one module each; importing this package registers them all.

The palette groups them by category; within one, the registry keeps this import order.
"""

from journey.dsl.nodes import (
    condition,
    delay,
    emit_event,
    end,
    join,
    log,
    loop,
    parallel,
    send_email,
    split,
    subjourney,
    switch,
    trigger,
    update_attributes,
    wait_for_event,
    webhook,
)

__all__ = [
    "condition",
    "delay",
    "emit_event",
    "end",
    "join",
    "log",
    "loop",
    "parallel",
    "send_email",
    "split",
    "subjourney",
    "switch",
    "trigger",
    "update_attributes",
    "wait_for_event",
    "webhook",
]
