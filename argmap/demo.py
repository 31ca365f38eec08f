"""The embedded default: the sample-efficiency debate, shipped as an argmap JSON document."""

from importlib import resources

from argmap.claims.store import Store
from argmap.graph.formats import argmap_json
from argmap.graph.formats.load import ImportReport, import_document

DEMO_KEY = "demo_loaded"


def demo_text() -> str:
    return resources.files("argmap").joinpath("data/debate.json").read_text(encoding="utf-8")


def demo_document():
    return argmap_json.read(demo_text(), "built-in debate")


def load_demo(store: Store) -> ImportReport | None:
    """Load the debate once; return None when this store already has it (running twice adds nothing)."""
    if store.get_meta(DEMO_KEY):
        return None
    return import_document(store, demo_document(), meta={DEMO_KEY: "1"})
