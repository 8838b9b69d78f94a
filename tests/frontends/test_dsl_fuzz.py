"""Fuzz: random mutations of the DSL examples (lines deleted, duplicated, swapped, tokens and
numbers replaced, the file truncated, hostile snippets inserted) either analyse or fail with
a FrontendError: never another exception, never a hang. Models that load are analysed and
exported, and the exported source must compile."""

from __future__ import annotations

import io
import os
import tokenize
from unittest import mock

from hypothesis import given
from hypothesis import strategies as st

from shapecalc.analyze import analyze_loaded
from shapecalc.export import module_source
from shapecalc.frontends import FrontendError, dsl_eval
from shapecalc.frontends.dsl import build_models
from shapecalc.frontends.dsl_syntax import DslError
from tests.examples.zoo import EXAMPLES_DIR

FILES = [
    "seed_conv_unit.scn",
    "seed_resblk.scn",
    "seed_denseblock.scn",
    "seed_densenet.scn",
    "lenet5.scn",
    "resnet18.scn",
    "squeezenet.scn",
    "unet.scn",
    "vit_patch.scn",
    "vgg16.scn",
]
SOURCES = {f: (EXAMPLES_DIR / f).read_text() for f in FILES}
HOSTILE = [
    "__import__('os').system('echo pwned')",
    "open('/etc/passwd')",
    "().__class__.__bases__",
    "exec('1')",
    "eval('1')",
    "lambda: 0",
    "import os",
    "x.__dict__",
    "getattr(x, 'weight')",
]
REPLACEMENTS = [
    "...", "0", "1", "-1", "2", "3", "10**9", "2**70", "1.5", "'M'", "None", "True", "x", "y",
    "i", "H", "B", "(", ")", "[", "]", ",", ":", ">>", "+", "*", "//", "%", "@", "-", "**",
    "=", "==", "if", "for", "in", "def", "return", "range", "cat", "flatten", "Input",
    "Conv2d", "Linear", "BatchNorm2d", "ReLU", "MaxPool2d", "relu", "view", "shape",
    "Parameter", "enumerate", "len", "pass", "\n", "    ", "dim", "padding",
] + HOSTILE  # fmt: skip


def tokens(text: str, numbers_only: bool = False) -> list[tuple[int, int, int, int]]:
    """(line, col, end_line, end_col) of every token, 0-based lines."""
    out = []
    kinds = (tokenize.NUMBER,) if numbers_only else (tokenize.NAME, tokenize.NUMBER, tokenize.OP)
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type in kinds + (tokenize.STRING,) * (not numbers_only):
                out.append((tok.start[0] - 1, tok.start[1], tok.end[0] - 1, tok.end[1]))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return out


@st.composite
def mutated(draw) -> tuple[str, str]:
    name = draw(st.sampled_from(FILES))
    lines = SOURCES[name].splitlines()
    for _ in range(draw(st.integers(1, 3))):
        kinds = ["delete", "duplicate", "swap", "token", "number", "insert", "cut"]
        kind = draw(st.sampled_from(kinds))
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "insert":
            indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
            snippet = draw(st.sampled_from(HOSTILE + ["x = x >> Linear(..., 3)", "return x"]))
            lines.insert(i, indent + ("y = " if draw(st.booleans()) else "") + snippet)
        elif kind == "cut":
            text = "\n".join(lines)
            lines = text[: draw(st.integers(0, len(text)))].splitlines()
        else:
            text = "\n".join(lines)
            lines = text.split("\n")  # a replacement may have put a newline in a line
            toks = tokens(text, numbers_only=kind == "number")
            if not toks:
                continue
            line, col, end_line, end_col = draw(st.sampled_from(toks))
            if line != end_line:
                continue
            if kind == "number":
                new = str(draw(st.integers(-3, 600) | st.sampled_from([0.5, 1e9, 2**40])))
            else:
                new = draw(st.sampled_from(REPLACEMENTS))
            lines[line] = lines[line][:col] + new + lines[line][end_col:]
    return name, "\n".join(lines) + "\n"


def check(path: str, text: str) -> None:
    try:
        models = build_models(path, text)
    except DslError as exc:
        assert str(exc).startswith(path), str(exc)
        return
    except FrontendError:
        return
    for model in models:
        analysis = analyze_loaded(_loaded(path, model), strict=False)
        assert not [d for d in analysis.diagnostics if d.code == "SC903"], analysis.diagnostics
        try:
            source = module_source([model], path)
        except FrontendError:
            continue
        compile(source, "<export>", "exec")


def _loaded(path: str, model):
    from shapecalc.frontends import LoadedModel

    return LoadedModel(model.name, path, model.graph, list(model.inputs))


def _limited():
    return mock.patch.multiple(dsl_eval, MAX_NODES=3000, MAX_STEPS=20_000, MAX_SECONDS=5.0)


@given(mutated())
def test_mutated_examples_analyse_or_fail_cleanly(tmp_path_factory, case) -> None:
    name, text = case
    path = os.path.join(str(tmp_path_factory.getbasetemp()), "fuzz_" + name)
    with _limited():
        check(path, text)


@given(st.sampled_from(FILES), st.text(max_size=40), st.integers(0, 2000))
def test_random_text_spliced_in(tmp_path_factory, name: str, junk: str, at: int) -> None:
    text = SOURCES[name]
    at = min(at, len(text))
    path = os.path.join(str(tmp_path_factory.getbasetemp()), "junk_" + name)
    with _limited():
        check(path, text[:at] + junk + text[at:])


def test_unmutated_examples_pass_the_check() -> None:
    for name, text in SOURCES.items():
        path = str(EXAMPLES_DIR / name)
        try:
            build_models(path, text)
        except FrontendError as exc:  # only a torch.nn layer whose rule is not there yet
            assert "is not defined" in str(exc) and "did you mean" not in str(exc), str(exc)
            continue
        check(path, text)
