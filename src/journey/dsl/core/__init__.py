"""The interpreter core: a deterministic state machine over a validated journey.

``compile_journey`` indexes a journey once; ``start`` and ``advance`` then turn each happening
into the run's next state and the commands a driver carries out (see ``messages``).
"""

from .errors import CoreError
from .interpreter import Transition, advance, start
from .messages import (
    FINAL_STATUSES,
    ActionCompleted,
    ActionDeferred,
    ActionFailed,
    CancelAction,
    CancelRequested,
    CancelTimer,
    Command,
    Event,
    EventReceived,
    Finish,
    Happening,
    LoadUser,
    RenderTemplates,
    RunAction,
    RunStart,
    RunStatus,
    StartSubjourney,
    StartTimer,
    StepRecord,
    StepStatus,
    SubjourneyFinished,
    TemplatesFailed,
    TemplatesRendered,
    TimerFired,
    UserLoaded,
)
from .program import Program, compile_journey
from .state import RunState

__all__ = [
    "FINAL_STATUSES",
    "ActionCompleted",
    "ActionDeferred",
    "ActionFailed",
    "CancelAction",
    "CancelRequested",
    "CancelTimer",
    "Command",
    "CoreError",
    "Event",
    "EventReceived",
    "Finish",
    "Happening",
    "LoadUser",
    "Program",
    "RenderTemplates",
    "RunAction",
    "RunStart",
    "RunState",
    "RunStatus",
    "StartSubjourney",
    "StartTimer",
    "StepRecord",
    "StepStatus",
    "SubjourneyFinished",
    "TemplatesFailed",
    "TemplatesRendered",
    "TimerFired",
    "Transition",
    "UserLoaded",
    "advance",
    "compile_journey",
    "start",
]
