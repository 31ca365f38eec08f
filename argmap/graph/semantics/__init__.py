"""Formal argumentation semantics over the attack graph (a Dung framework).

- ``grounded``: linear-time labelling, on arrays (numpy CSR) so a million arguments fit.
- ``asp``: preferred, stable and complete extensions and acceptance through clingo.
- ``dfquad``: a gradual semantics that also uses supports.
- ``reasons``: why each claim is IN, OUT or UNDECIDED.
"""

IN, OUT, UNDEC = "IN", "OUT", "UNDEC"
