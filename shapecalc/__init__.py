"""shapecalc: a shape calculator and static analyzer for PyTorch architectures."""

from __future__ import annotations

from .diagnostics import Diagnostic, Severity
from .propagate import Analysis

__version__ = "0.1.0"

__all__ = ["Analysis", "Diagnostic", "Severity", "__version__"]
