"""Evidence: sources, exact quotes, and the computations attached to claims."""

from argmap.evidence.sources import add_evidence, add_source, attach_text, list_sources, normalise, quote_occurs

__all__ = ["add_evidence", "add_source", "attach_text", "list_sources", "normalise", "quote_occurs"]
