"""The key table (`settings.keys`) as Textual bindings: what widgets and screens put in BINDINGS."""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding, BindingType

from settings.keys import KEY_SPECS, KeySpec, label_key_specs
from vocabulary.labels import LabelDef


def binding(spec: KeySpec) -> Binding:
    """The Textual binding of one row of the key table."""
    return Binding(
        spec.key,
        spec.action,
        spec.description,
        show=spec.show,
        key_display=spec.key_display,
        priority=spec.priority,
        tooltip=spec.description,
        id=spec.id,
    )


def bindings_for(scope: str) -> list[BindingType]:
    """The Textual bindings of one scope, for a class's BINDINGS."""
    return [binding(spec) for spec in KEY_SPECS if spec.scope == scope]


def label_bindings(labels: Iterable[LabelDef]) -> list[Binding]:
    """The bindings that apply each label of the configured set."""
    return [binding(spec) for spec in label_key_specs(labels)]
