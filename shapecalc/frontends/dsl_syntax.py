"""The DSL's syntax: parse a ``.scn`` file with ``ast`` and reject, before anything is
evaluated, every construct outside the subset (imports, lambdas, classes, while loops,
comprehensions, dunder names, ...). Errors carry ``file:line:col``, the source line and a caret.

The subset (README, "The architecture DSL"):

    file      := (def | NAME = constant expression)*
    def       := "def" NAME "(" params ")" ":" statement+     # no params: a model; else a block
    statement := NAME ("," NAME)* = expr | NAME op= expr | return expr | pass
               | for target in expr ":" statement+ | if expr ":" ... [elif/else] | NAME.append(expr)
               (builtins: range, enumerate, zip, reversed, len, min, max, abs; list.pop())
    expr      := numbers, strings, True/False/None, ..., names, tuples, lists, a[i], a[i:j],
                 + - * / // % ** >> @, comparisons, and/or/not, x if c else y, calls f(a, k=v),
                 x.method(...) and x.shape/x.ndim/x.dtype on tensors, nn./F./torch. prefixes
"""

from __future__ import annotations

import ast

from . import FrontendError

# expression and statement node types the evaluator understands; anything else is rejected
_ALLOWED = (
    ast.Module,
    ast.FunctionDef,
    ast.arguments,
    ast.arg,
    ast.Return,
    ast.Assign,
    ast.AugAssign,
    ast.For,
    ast.If,
    ast.Expr,
    ast.Pass,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.IfExp,
    ast.Call,
    ast.keyword,
    ast.Name,
    ast.Constant,
    ast.Tuple,
    ast.List,
    ast.Subscript,
    ast.Slice,
    ast.Attribute,
    ast.expr_context,
    ast.operator,
    ast.unaryop,
    ast.boolop,
    ast.cmpop,
)
_OPERATORS = (
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.FloorDiv,
    ast.Mod,
    ast.Pow,
    ast.RShift,
    ast.MatMult,
)
_WHAT = {
    ast.Import: "imports are not part of the DSL (layers and ops are available by name)",
    ast.ImportFrom: "imports are not part of the DSL (layers and ops are available by name)",
    ast.Lambda: "lambdas are not part of the DSL; use a def block",
    ast.ClassDef: "classes are not part of the DSL; write a model as `def Name():`",
    ast.While: "while loops are not part of the DSL; use `for i in range(n):`",
    ast.With: "with statements are not part of the DSL",
    ast.Try: "try statements are not part of the DSL",
    ast.Raise: "raise is not part of the DSL",
    ast.Global: "global is not part of the DSL",
    ast.Nonlocal: "nonlocal is not part of the DSL",
    ast.Delete: "del is not part of the DSL",
    ast.Assert: "assert is not part of the DSL",
    ast.ListComp: "comprehensions are not part of the DSL; use a for loop",
    ast.SetComp: "comprehensions are not part of the DSL; use a for loop",
    ast.DictComp: "comprehensions are not part of the DSL; use a for loop",
    ast.GeneratorExp: "comprehensions are not part of the DSL; use a for loop",
    ast.Dict: "dicts are not part of the DSL; a config is a list or tuple: [(64, 1), (128, 2)]",
    ast.Set: "sets are not part of the DSL",
    ast.JoinedStr: "f-strings are not part of the DSL",
    ast.Starred: "*args and unpacking are not part of the DSL",
    ast.NamedExpr: "the walrus operator is not part of the DSL",
    ast.Yield: "yield is not part of the DSL",
    ast.YieldFrom: "yield is not part of the DSL",
    ast.AsyncFunctionDef: "async is not part of the DSL",
    ast.Await: "await is not part of the DSL",
    ast.Break: "break is not part of the DSL",
    ast.Continue: "continue is not part of the DSL",
    ast.AnnAssign: "annotations are not part of the DSL",
}


class DslError(FrontendError):
    """``file:line:col: message``, then the source line and a caret under the column."""

    def __init__(self, message: str, node: ast.AST | None = None, source: Source | None = None):
        self.message = message
        self.node = node
        self.source = source
        self.calls: list[tuple[str, ast.AST]] = []  # (block, call site), innermost first
        super().__init__(self._text())

    def located(self, source: Source) -> DslError:
        if self.source is None:
            self.source = source
            self.args = (self._text(),)
        return self

    def hint(self, text: str) -> None:
        self.message += text
        self.args = (self._text(),)

    def called_from(self, block: str, node: ast.AST) -> None:
        self.calls.append((block, node))
        self.args = (self._text(),)

    def _text(self) -> str:
        if self.source is None:
            return self.message
        text = self.source.render(self.message, self.node)
        for block, node in self.calls:
            line, col = getattr(node, "lineno", 0), getattr(node, "col_offset", 0) + 1
            text += f"\n  in {block}(...) called at {self.source.path}:{line}:{col}"
        return text

    def __str__(self) -> str:
        return self._text()


class Source:
    """A DSL file's text and display path, to point at its lines."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self.lines = text.splitlines()

    def render(self, message: str, node: ast.AST | None, line: int | None = None) -> str:
        lineno = getattr(node, "lineno", None) if node is not None else line
        if lineno is None:
            return f"{self.path}: {message}"
        col = getattr(node, "col_offset", 0) + 1 if node is not None else 1
        out = f"{self.path}:{lineno}:{col}: {message}"
        if 1 <= lineno <= len(self.lines):
            src = self.lines[lineno - 1].expandtabs(1)
            width = 1
            end_line = getattr(node, "end_lineno", None)
            end_col = getattr(node, "end_col_offset", None)
            if end_line == lineno and end_col is not None:
                width = max(1, end_col - (col - 1))
            width = min(width, max(1, len(src) - (col - 1)))
            out += f"\n    {src}\n    {' ' * (col - 1)}^{'~' * (width - 1)}"
        return out


def parse(path: str, text: str) -> tuple[ast.Module, Source]:
    """The checked syntax tree of a DSL file."""
    source = Source(path, text)
    try:
        tree = ast.parse(text, filename=path)
    except SyntaxError as exc:
        msg = exc.msg or "invalid syntax"
        line = exc.lineno or 1
        col = max(1, exc.offset or 1)
        fake = ast.Pass(lineno=line, col_offset=col - 1, end_lineno=line, end_col_offset=col)
        raise DslError(f"syntax error: {msg}", fake, source) from None
    except (ValueError, RecursionError, MemoryError) as exc:  # NUL bytes, absurd nesting
        raise DslError(f"cannot parse: {type(exc).__name__}: {exc}", None, source) from None
    try:
        check(tree)
    except DslError as exc:
        raise exc.located(source) from None
    except RecursionError:
        raise DslError("the file nests expressions too deeply", None, source) from None
    return tree, source


def check(tree: ast.Module) -> None:
    """Reject every node outside the subset, and dunder or private names."""
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef):
            continue
        if isinstance(stmt, ast.Assign) and all(isinstance(t, ast.Name) for t in stmt.targets):
            continue
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue  # a docstring
        if isinstance(stmt, ast.Pass):
            continue
        if type(stmt) in _WHAT:
            raise DslError(_WHAT[type(stmt)], stmt)
        raise DslError(
            "at the top level of a DSL file only `def` blocks and constants "
            "(`WIDTH = 64`) are allowed; put the model in a `def Name():`",
            stmt,
        )
    for node in ast.walk(tree):
        _check_node(node)


def _check_node(node: ast.AST) -> None:
    if type(node) in _WHAT:
        raise DslError(_WHAT[type(node)], node)
    if not isinstance(node, _ALLOWED):
        raise DslError(f"{type(node).__name__} is not part of the DSL", node)
    if isinstance(node, ast.operator) and not isinstance(node, _OPERATORS):
        raise DslError("this operator is not part of the DSL", node)
    if isinstance(node, ast.Name):
        if node.id != "_":  # the throwaway name: `for _ in range(3)`, `out, _ = LSTM(...)(x)`
            _check_name(node.id, node)
    elif isinstance(node, ast.Attribute):
        _check_name(node.attr, node)
    elif isinstance(node, ast.keyword):
        if node.arg is None:
            raise DslError("**kwargs is not part of the DSL", node)
        _check_name(node.arg, node)
    elif isinstance(node, ast.FunctionDef):
        _check_name(node.name, node)
        if node.decorator_list:
            raise DslError("decorators are not part of the DSL", node.decorator_list[0])
        if node.returns is not None:
            raise DslError("annotations are not part of the DSL", node.returns)
        a = node.args
        if a.vararg or a.kwarg or a.kwonlyargs or a.posonlyargs:
            raise DslError("a block takes plain parameters (name or name=default)", node)
    elif isinstance(node, ast.arg):
        _check_name(node.arg, node)
        if node.annotation is not None:
            raise DslError("annotations are not part of the DSL", node.annotation)
    elif isinstance(node, ast.For) and node.orelse:
        raise DslError("for ... else is not part of the DSL", node)
    elif isinstance(node, ast.Constant):
        if not (
            node.value is None
            or node.value is Ellipsis
            or isinstance(node.value, (bool, int, float, str))
        ):
            raise DslError(f"constant {node.value!r} is not part of the DSL", node)
    elif isinstance(node, ast.Expr):
        if not isinstance(node.value, (ast.Call, ast.Constant)):
            raise DslError("this expression does nothing; assign it to a name", node)


def _check_name(name: str, node: ast.AST) -> None:
    if name.startswith("_"):
        raise DslError(
            f"names starting with '_' are not part of the DSL (except `_` itself): {name!r}", node
        )
