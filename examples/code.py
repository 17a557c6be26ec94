"""Toolset code: custom tools whose input is text. Nothing here runs the model's code: code_exec
evaluates arithmetic only (with the ast module, never eval), and refuses anything else."""

from __future__ import annotations

import ast
import operator
import re
import threading
from collections.abc import Callable
from datetime import datetime

from generated import ToolError
from generated.code import CodeHandlers

_OPERATORS: dict[type[ast.operator], Callable[[int | float, int | float], int | float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
}

# math_exp's grammar (specs/grammars/math_exp.lark): integers joined by " + " and " * ".
_MATH_EXP = re.compile(r"\d+(?: [+*] \d+)*")


def arithmetic(text: str) -> int | float:
    """The value of an arithmetic expression of numbers, + - * / // % and parentheses."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        raise ToolError(f"not an expression: {error.msg}") from None

    def value(node: ast.expr) -> int | float:
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -value(node.operand)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            left, right = value(node.left), value(node.right)
            if isinstance(node.op, ast.Mult) and abs(left) * abs(right) > 10**30:
                raise ToolError("the result is too large")
            try:
                return _OPERATORS[type(node.op)](left, right)
            except ZeroDivisionError:
                raise ToolError("division by zero") from None
        raise ToolError("only numbers, + - * / // % and parentheses are allowed in this sandbox")

    return value(tree.body)


class Code(CodeHandlers):
    """math_exp evaluates; timestamp keeps the saved timestamps in `timestamps`."""

    def __init__(self) -> None:
        self.timestamps: list[datetime] = []
        self._lock = threading.Lock()

    def code_exec(self, args: str) -> dict[str, object]:
        return {"code": args, "result": arithmetic(args)}

    def math_exp(self, args: str) -> str:
        if not _MATH_EXP.fullmatch(args):
            raise ToolError("expected integers joined by ' + ' and ' * ', e.g. 2 + 3 * 4")
        return f"{args} = {arithmetic(args)}"

    def timestamp(self, args: str) -> str:
        try:
            moment = datetime.strptime(args, "%Y-%m-%d %H:%M")
        except ValueError:
            raise ToolError("expected YYYY-MM-DD HH:MM, e.g. 2026-12-01 09:30") from None
        with self._lock:
            self.timestamps.append(moment)
            count = len(self.timestamps)
        return f"saved {moment:%A %d %B %Y, %H:%M} ({count} saved)"
