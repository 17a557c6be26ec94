"""A toolset whose tool definitions cost more input tokens than its budget.

## What it does
Counts the tokens the toolset's definitions add to every request that offers them, as
OpenAI's harmony renderer shows them to the model (o200k_base vocabulary; the figure
`toolspec stats` prints and the catalogue shows), and warns above `max-tokens`: 4,000 by
default, set in `[tool.toolspec.options.token-budget]`.

## Why
Every request that offers the tools pays for their definitions in input tokens, whatever the
model then calls: a toolset of 4,000 tokens costs 4,000 tokens on each turn of every
conversation, and the context it takes is lost to the conversation. The default allows about
the 20 tools OpenAI advises at most (TS304) at some 200 tokens each, well described.

## How to fix
Shorten descriptions to what the model needs to choose and call a tool, drop parameters no
caller needs, or split the toolset by task and offer each part where it is needed. A project
that knows its budget sets it:
```toml
[tool.toolspec.options.token-budget]
max-tokens = 8000
```

## Example
```yaml
# Warned: a toolset whose 30 tools cost 5,200 tokens per request
toolset: support
```
"""

from collections.abc import Iterator

from toolspec.compile import tokens
from toolspec.ground.diagnostics import Severity
from toolspec.lint.rule import Finding, ToolsetContext

CODE = "TS405"
NAME = "token-budget"
SEVERITY = Severity.WARNING
OPTIONS = {"max-tokens": 4000}


def check_toolset(context: ToolsetContext) -> Iterator[Finding]:
    budget = context.option(CODE, "max-tokens")
    if not context.toolset.tools:
        return
    cost = tokens.toolset_tokens(context.compiled)
    if cost.total > budget:
        costliest = sorted(cost.tools.items(), key=lambda item: (-item[1], item[0]))[:3]
        most = ", ".join(f"{name} {count:,}" for name, count in costliest)
        yield Finding(
            ("toolset",),
            f"the tool definitions add {cost.total:,} tokens to every request that offers them, over the budget "
            f"of {budget:,} (the most: {most}); shorten or split the toolset, or raise max-tokens in "
            "[tool.toolspec.options.token-budget]",
        )
