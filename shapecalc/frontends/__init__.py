"""Frontends build a LayerGraph: from torch modules (torch.py), from the DSL (dsl.py), or from
single torch expressions (expression.py). The loader picks one by file type and returns
``LoadedModel``s."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..graph import LayerGraph
from ..values import TensorValue


class FrontendError(Exception):
    """A user-facing failure to load or build a model: one clear line, exit code 2."""


@dataclass
class LoadedModel:
    """A model found in a file, ready to analyse.

    graph: the layer graph (its input nodes carry default TensorValues when known).
    inputs: input shapes the file itself declares (a ``# shapecalc: input=`` comment or a DSL
      ``Input(...)``), or None when the caller must give or infer them.
    build: returns a real torch.nn.Module on CPU for forward passes (verify); None when the
      model cannot be built for real.
    notes: what the frontend wants the user to know (e.g. the graph was specialised).
    """

    name: str
    path: str
    graph: LayerGraph
    inputs: list[TensorValue] | None = None
    build: Callable[[], Any] | None = None
    notes: list[str] = field(default_factory=list)
