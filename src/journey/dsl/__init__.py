"""The journey DSL: document models, the node registry, CEL and templates, and the pure
interpreter core. Nothing in this package does I/O."""

from journey.dsl.document import Annotation, Edge, Journey, JourneySettings, Node, RetryPolicy
from journey.dsl.expressions import Expression, ExpressionError, compile_expression
from journey.dsl.issues import CODES, DocumentInvalid, Issue, has_errors
from journey.dsl.registry import NODE_TYPES, Branches, NodeCategory, NodeConfig, NodeType, register
from journey.dsl.templates import TemplateError, check_template, render, render_json

__all__ = [
    "CODES",
    "NODE_TYPES",
    "Annotation",
    "Branches",
    "DocumentInvalid",
    "Edge",
    "Expression",
    "ExpressionError",
    "Issue",
    "Journey",
    "JourneySettings",
    "Node",
    "NodeCategory",
    "NodeConfig",
    "NodeType",
    "RetryPolicy",
    "TemplateError",
    "check_template",
    "compile_expression",
    "has_errors",
    "register",
    "render",
    "render_json",
]
