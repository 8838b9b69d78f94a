"""What flows along the edges of a layer graph: tensors (a shape of Dims), Python values, or
an opaque value that stands for whatever follows an op shapecalc cannot model."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .symbolic import UNKNOWN, Dim, is_symbolic


@dataclass(frozen=True)
class TensorValue:
    """A tensor known by its shape. ``const`` marks parameters, buffers and literal tensors, as
    opposed to activations that flow from the model's inputs."""

    shape: tuple[Dim, ...]
    dtype: str = "float32"
    const: bool = False

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def is_symbolic(self) -> bool:
        return any(is_symbolic(d) for d in self.shape)

    @property
    def is_floating(self) -> bool:
        return self.dtype.startswith(("float", "bfloat", "complex"))

    def with_shape(self, shape: tuple[Dim, ...] | list[Dim]) -> TensorValue:
        return replace(self, shape=tuple(shape))

    def __str__(self) -> str:
        return format_shape(self.shape)


class Opaque:
    """A value of unknown kind and shape. Every op applied to it yields it again, silently."""

    _instance: Opaque | None = None

    def __new__(cls) -> Opaque:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "?"

    def __reduce__(self) -> str:
        return "OPAQUE"


OPAQUE = Opaque()


def tensor(*shape: Dim, dtype: str = "float32") -> TensorValue:
    return TensorValue(tuple(shape), dtype)


def format_shape(shape: tuple[Dim, ...]) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def format_value(value: object) -> str:
    """A short human form: ``(2, 6, 30, 30)`` for a tensor, nested for tuples of tensors."""
    if isinstance(value, TensorValue):
        return format_shape(value.shape)
    if isinstance(value, (tuple, list)) and any(isinstance(v, TensorValue) for v in value):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    if value is OPAQUE or value is UNKNOWN:
        return "?"
    return str(value)


def tensors_in(value: object) -> list[TensorValue]:
    """Every TensorValue inside a (possibly nested) value, in order."""
    if isinstance(value, TensorValue):
        return [value]
    if isinstance(value, (tuple, list)):
        return [t for v in value for t in tensors_in(v)]
    if isinstance(value, dict):
        return [t for v in value.values() for t in tensors_in(v)]
    return []


def contains_opaque(value: object) -> bool:
    if value is OPAQUE:
        return True
    if isinstance(value, (tuple, list)):
        return any(contains_opaque(v) for v in value)
    if isinstance(value, dict):
        return any(contains_opaque(v) for v in value.values())
    return False
