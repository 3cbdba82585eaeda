"""Benchmarks, run with ``python -m bench`` (all of them) or ``python -m bench NAME``.

Each benchmark is a module ``bench/NAME_bench.py`` with a ``main()`` that prints its figures;
the runner finds them by that name, so adding one is adding the module.
"""
