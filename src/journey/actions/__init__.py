"""The I/O adapters behind the action nodes: they receive rendered parameters and do one thing.

Each raises ``ActionError`` (see ``errors``) with a one-line message and whether a retry could
help; the engine's activities decide what Temporal does with it.
"""
