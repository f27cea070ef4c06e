"""Holds the ``paddle`` package that ``PYTHONPATH`` stand-in mode puts first on the path."""
