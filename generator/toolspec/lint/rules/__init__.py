"""The registry: every lint rule, by code. Add a rule here and in docs/rules.md."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolspec.lint.rule import rule_from_module
from toolspec.lint.rules import (
    class_name_clash,
    conflicting_tool_definition,
    duplicate_tool_name,
    endless_recursion,
    forbidden_keyword,
    free_form_object,
    http_body_conflict,
    http_parameter_not_sent,
    http_path_mismatch,
    http_unknown_parameter,
    invalid_default,
    invalid_example,
    invalid_grammar,
    invalid_pattern,
    invalid_tool_name,
    long_description,
    long_string_enum,
    many_tools,
    missing_parameter_description,
    missing_tool_description,
    nesting_depth,
    python_name_clash,
    regex_grammar_form,
    result_not_object,
    schema_rejected,
    schema_text_too_long,
    similar_tool_names,
    string_length_bounds,
    token_budget,
    too_many_enum_values,
    too_many_properties,
    too_many_tools,
    unsupported_format,
    unsupported_lark_feature,
    unsupported_regex_feature,
    untyped_value,
    unused_type,
)

if TYPE_CHECKING:
    from toolspec.lint.rule import Rule

RULES: tuple[Rule, ...] = tuple(
    sorted(
        (
            rule_from_module(module)
            for module in (
                free_form_object,
                untyped_value,
                forbidden_keyword,
                unsupported_format,
                string_length_bounds,
                nesting_depth,
                too_many_properties,
                too_many_enum_values,
                long_string_enum,
                schema_text_too_long,
                endless_recursion,
                invalid_tool_name,
                duplicate_tool_name,
                similar_tool_names,
                class_name_clash,
                python_name_clash,
                conflicting_tool_definition,
                many_tools,
                too_many_tools,
                missing_tool_description,
                missing_parameter_description,
                long_description,
                token_budget,
                unused_type,
                invalid_pattern,
                unsupported_regex_feature,
                invalid_grammar,
                unsupported_lark_feature,
                regex_grammar_form,
                schema_rejected,
                result_not_object,
                invalid_example,
                invalid_default,
                http_path_mismatch,
                http_unknown_parameter,
                http_parameter_not_sent,
                http_body_conflict,
            )
        ),
        key=lambda rule: rule.code,
    )
)

BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
