"""Templates: literals untouched, the sandbox holds, missing values fail, user reads detected."""

import pytest

from journey.dsl.templates import TemplateError, check_template, reads_user_attributes, render, render_json

CONTEXT = {"user": {"id": "u1", "name": "Ada"}, "trigger": {"properties": {"items": [1, 2]}}}


def test_literals_are_returned_as_they_are() -> None:
    assert render("plain text, no braces", {}) == "plain text, no braces"


def test_templates_render_against_the_context() -> None:
    assert render("Hi {{ user.name | upper }}", CONTEXT) == "Hi ADA"
    assert render("{{ trigger.properties.items | length }}", CONTEXT) == "2"


def test_render_json_renders_every_string_inside() -> None:
    rendered = render_json({"a": ["{{ user.id }}", 3], "b": {"c": "{{ user.name }}"}}, CONTEXT)
    assert rendered == {"a": ["u1", 3], "b": {"c": "Ada"}}


@pytest.mark.parametrize(
    "source",
    ["{{ user.__class__ }}", "{{ ().__class__.__bases__ }}", "{{ cycler.__init__.__globals__ }}"],
)
def test_the_sandbox_refuses_python_internals(source: str) -> None:
    with pytest.raises(TemplateError, match=r"unsafe|undefined"):
        render(source, CONTEXT)


def test_a_missing_value_is_an_error_not_an_empty_string() -> None:
    with pytest.raises(TemplateError, match="no attribute 'email'"):
        render("{{ user.email }}", CONTEXT)


def test_syntax_errors_name_the_line() -> None:
    with pytest.raises(TemplateError, match="line 2"):
        check_template("ok\n{{ user.name ")


@pytest.mark.parametrize(
    ("value", "reads"),
    [
        ("no template", False),
        ("{{ user.id }}", False),
        ('{{ user["id"] }} and {{ input.x }}', False),
        ({"to": "{{ user.email }}"}, True),
        (["{{ user.id }}", "{{ user }}"], True),
        ("{% for key in user %}{{ key }}{% endfor %}", True),
        ("{{ user.id ", True),
        (None, False),
    ],
)
def test_reads_user_attributes(value: object, reads: bool) -> None:
    assert reads_user_attributes(value) is reads  # type: ignore[arg-type]
