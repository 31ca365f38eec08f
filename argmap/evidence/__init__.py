"""Evidence: sources, exact quotes, and the computations attached to claims.

See ``argmap.evidence.sources``, ``argmap.evidence.computations``, ``argmap.evidence.formula``,
``argmap.evidence.units``, ``argmap.evidence.checks`` and ``argmap.evidence.integrity``.
"""
