"""Source locations of the user's code: which line and column built a layer or ran an op.

The torch frontend runs the user's code (building the model, tracing its forward) and asks,
at each layer construction and each traced op, for the innermost stack frame that belongs to
the user's files: not torch, not shapecalc, not the standard library or installed packages.
Python 3.11's ``co_positions()`` at the frame's current instruction gives the exact column of
the call (``nn.Conv2d(...)``) or operator (``x + y``) being executed.
"""

from __future__ import annotations

import functools
import os
import sys
import sysconfig
from collections.abc import Iterable
from types import CodeType, FrameType, TracebackType

from ..diagnostics import Location

_SHAPECALC_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@functools.lru_cache(maxsize=1)
def _library_dirs() -> tuple[str, ...]:
    dirs = {_SHAPECALC_DIR}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(key)
        if path:
            dirs.add(os.path.abspath(path))
    torch = sys.modules.get("torch")
    if torch is not None and getattr(torch, "__file__", None):
        dirs.add(os.path.dirname(os.path.abspath(torch.__file__)))
    return tuple(sorted(d.rstrip(os.sep) + os.sep for d in dirs))


@functools.lru_cache(maxsize=4096)
def is_user_file(filename: str) -> bool:
    """True for files of the user's project (anything but shapecalc, torch, the standard
    library, installed packages and generated code such as ``<eval_with_key>``)."""
    if not filename or filename.startswith("<"):
        return False
    path = os.path.abspath(filename)
    return not path.startswith(_library_dirs())


@functools.lru_cache(maxsize=4096)
def _positions(code: CodeType) -> tuple:
    return tuple(code.co_positions())


class SourceMap:
    """Turns frames into Locations, showing paths the way the user wrote them.

    ``paths`` maps absolute file paths to the spelling the user gave (``examples/net.py``);
    other user files are shown relative to the working directory when the user gave a
    relative path, else absolute.
    """

    def __init__(self, paths: dict[str, str] | None = None) -> None:
        self.paths = {os.path.abspath(k): v for k, v in (paths or {}).items()}
        self.relative = any(not os.path.isabs(v) for v in self.paths.values())

    def display(self, filename: str) -> str:
        path = os.path.abspath(filename)
        if path in self.paths:
            return self.paths[path]
        if self.relative:
            rel = os.path.relpath(path)
            if not rel.startswith(".."):
                return rel
        return filename

    def frame_location(self, frame: FrameType, lasti: int | None = None) -> Location:
        """Where the frame is now: the instruction being executed (a call, an operator)."""
        code = frame.f_code
        positions = _positions(code)
        index = (frame.f_lasti if lasti is None else lasti) // 2
        line, end_line, col, end_col = (
            positions[index] if 0 <= index < len(positions) else (None, None, None, None)
        )
        if line is None:
            return Location(self.display(code.co_filename), frame.f_lineno, 1)
        return Location(
            self.display(code.co_filename),
            line,
            (col or 0) + 1,
            end_line,
            None if end_col is None else end_col + 1,
        )

    def innermost(
        self,
        frame: FrameType | None,
        stop: Iterable[CodeType] = (),
        skip_self: object = None,
    ) -> Location | None:
        """The innermost user frame from ``frame`` outwards, not looking past a frame running
        one of the ``stop`` code objects. ``skip_self`` skips ``__init__`` frames of that
        object (a module's own constructor is not where it was built)."""
        stops = set(stop)
        while frame is not None:
            code = frame.f_code
            if code in stops:
                return None
            if is_user_file(code.co_filename) and not (
                skip_self is not None
                and code.co_name == "__init__"
                and frame.f_locals.get("self") is skip_self
            ):
                return self.frame_location(frame)
            frame = frame.f_back
        return None

    def from_traceback(self, tb: TracebackType | None) -> Location | None:
        """The innermost user frame of an exception's traceback (where the user's code
        failed), with the failing instruction's column."""
        found = None
        while tb is not None:
            if is_user_file(tb.tb_frame.f_code.co_filename):
                found = tb
            tb = tb.tb_next
        if found is None:
            return None
        return self.frame_location(found.tb_frame, found.tb_lasti)
