"""shapecalc: a shape calculator and static analyzer for PyTorch architectures."""

from __future__ import annotations

from .analyze import analyze
from .diagnostics import Diagnostic, Severity
from .frontends import FrontendError
from .propagate import Analysis

__version__ = "0.1.0"

__all__ = ["Analysis", "Diagnostic", "FrontendError", "Severity", "__version__", "analyze"]
