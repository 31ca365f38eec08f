"""The errors argmap shows to its users.

Every library function raises one of these for a user mistake; the CLI turns each into one
``Error: ...`` line on stderr and a non-zero exit code. Anything else is a bug.
"""


class ArgmapError(Exception):
    """A user-facing error: its message is shown as is, on one line."""

    exit_code = 1


class NotFound(ArgmapError):
    """Shown when an id names nothing in the store."""


class AlreadyExists(ArgmapError):
    """Shown when an id or a relation is already taken."""


class InvalidInput(ArgmapError):
    """Shown when a value given by the user is malformed or not allowed."""


class QuoteNotInSource(InvalidInput):
    """Shown when an evidence quote does not occur in its source's text."""


class StoreError(ArgmapError):
    """Shown when the database cannot be opened, read or written."""


class FormulaError(InvalidInput):
    """Shown when a computation's formula, inputs or units are refused."""
