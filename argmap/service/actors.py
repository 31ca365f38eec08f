"""Who is asking, and what their role lets them do: the one permission check that every
operation of the service layer makes, whoever calls it (the CLI, the web app, a script).

Roles: a *viewer* reads; an *editor* also writes and undoes their own changes; an *owner*
also undoes anyone's changes and manages the people and tokens of a served map.
"""

from dataclasses import dataclass
from typing import Optional

from argmap.claims.accounts import ROLES
from argmap.errors import Forbidden

# action -> the least role that may do it
NEEDS = {"read": "viewer", "edit": "editor", "undo": "editor", "undo-others": "owner", "manage": "owner"}
WHAT = {"read": "reading the map", "edit": "changing the map", "undo": "undoing a change",
        "undo-others": "undoing someone else's change", "manage": "managing people and tokens"}


@dataclass(frozen=True)
class Actor:
    """The person an operation is done for. ``name`` None means whoever runs this program
    (``--author``, $ARGMAP_AUTHOR, else the OS user: the CLI and a Python script); ``via``
    says where the request came from, for the history's record of the command."""

    name: Optional[str] = None
    role: str = "owner"
    via: Optional[str] = None

    def may(self, action: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(NEEDS[action])

    def require(self, action: str) -> None:
        if not self.may(action):
            who = self.name or "you"
            raise Forbidden(f"{who} is a{'n' if self.role[0] in 'aeiou' else ''} {self.role}: {WHAT[action]} "
                            f"needs the {NEEDS[action]} role{' or above' if NEEDS[action] != 'owner' else ''}")


LOCAL = Actor()  # this program's user, who can open the store file anyway: every right


def local_name() -> str:
    """Who this program's user is, for the history: --author, $ARGMAP_AUTHOR, else the OS user."""
    from argmap.claims.history import author
    return author()
