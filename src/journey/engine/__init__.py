"""Durable execution on Temporal: the dev server launcher, the workflow driver, its activities."""
