"""Extension schemas are checked (and jsonschema imported) only when a record holds a
namespace that some plugin registers (start-up, issue 13); every lookup answers what the
fully checked registry answers, and a plugin's refused schema is reported as before."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from volunteer_standard import hookimpl
from volunteer_standard.plugins import plugin_infos, register_plugin, unregister_plugin
from volunteer_standard.validation.extensions import EXTENSIONS, extension_schemas

VALID = {"type": "object", "properties": {"n": {"type": "integer"}}}
INVALID = {"type": 12}  # not a JSON Schema: refused by the check
NAMESPACES = ("alpha", "beta", "gamma")


class _Offers:
    """A plugin that calls ``register`` with each argument tuple it is given."""

    def __init__(self, offers: list[tuple[Any, ...]]) -> None:
        self.offers = offers

    @hookimpl
    def register_extensions(self, register: Any) -> None:
        for args in self.offers:
            register(*args)


class _Raises:
    @hookimpl
    def register_extensions(self, register: Any) -> None:
        register("alpha", VALID)
        raise RuntimeError("broken hook")


_offer = st.one_of(
    st.tuples(st.sampled_from((*NAMESPACES, "Not A Namespace")), st.sampled_from((VALID, INVALID))),
    st.tuples(st.sampled_from(NAMESPACES), st.just("not an object")),
    st.just(()),  # register() without arguments
    st.tuples(st.just(("beta", VALID))),  # one tuple instead of two arguments
)
_plugins = st.lists(st.lists(_offer, max_size=3), max_size=3)


def _errors() -> dict[str, list[str]]:
    return {i.name: [e.en for e in i.errors] for i in plugin_infos(check=False) if i.errors}


def _answers(plugins: list[Any], looked_up: list[str], *, lazily: bool) -> Any:
    """Each lookup's answer, then every registered schema and the plugins' errors, for
    plugins registered afresh; ``lazily`` through :func:`extension_schemas`, before the
    registry is filled, else in the registry filled first."""
    names = [f"ext-test-{i}" for i in range(len(plugins))]
    for plugin, name in zip(plugins, names, strict=True):
        register_plugin(plugin, name=name)
    try:
        if lazily:
            answers = [extension_schemas().get(ns) for ns in looked_up]
        else:  # the registry itself, filled with every check first
            answers = [EXTENSIONS.items().get(ns) for ns in looked_up]
        return answers, EXTENSIONS.items(), _errors()
    finally:
        for name in names:
            unregister_plugin(name)


@settings(max_examples=60, deadline=None)
@given(_plugins, st.lists(st.sampled_from((*NAMESPACES, "delta")), min_size=1, max_size=4))
def test_a_lookup_answers_what_the_checked_registry_answers(
    offers: list[list[tuple[Any, ...]]], looked_up: list[str]
) -> None:
    plugins = [_Offers(each) for each in offers]
    # the registry is filled (every check, every error recorded) after the lookups too
    assert _answers(plugins, looked_up, lazily=True) == _answers(plugins, looked_up, lazily=False)


def test_a_refused_schema_takes_its_plugins_other_namespaces_with_it() -> None:
    both = _Offers([("alpha", VALID), ("beta", INVALID)])
    answers, registered, errors = _answers([both], ["alpha", "beta", "gamma"], lazily=True)
    assert answers == [None, None, None] and "alpha" not in registered
    assert any("beta" in e for e in errors["ext-test-0"])


def test_a_refused_schema_does_not_claim_its_namespace() -> None:
    first, second = _Offers([("alpha", INVALID)]), _Offers([("alpha", VALID)])
    answers, _, errors = _answers([first, second], ["alpha"], lazily=True)
    assert answers[0] is not None and answers[0].schema == VALID
    assert "ext-test-1" not in errors


def test_a_hook_that_raises_offers_nothing() -> None:
    answers, registered, errors = _answers([_Raises()], ["alpha"], lazily=True)
    assert answers == [None] and "alpha" not in registered
    assert any("broken hook" in e for e in errors["ext-test-0"])


def test_a_schema_added_at_run_time_is_found() -> None:
    EXTENSIONS.add(("gamma", VALID))
    try:
        found = extension_schemas().get("gamma")
        assert found is not None and found.schema == VALID
        assert "gamma" in extension_schemas() and extension_schemas()["gamma"] is found
    finally:
        EXTENSIONS.remove("gamma")
    assert extension_schemas().get("gamma") is None
