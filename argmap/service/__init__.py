"""argmap's Python API, and the one service layer under the CLI and the web app.

    import argmap

    with argmap.open("debate.db") as m:           # or a URL: postgresql+psycopg://...
        m.add("Scaling alone closes the gap.", kind="thesis", id="thesis")
        m.object("thesis", "Data runs out first.", id="data-wall")
        print(m.status("thesis")["label"])       # OUT: data-wall attacks it and stands
        print(m.claim("data-wall").to_json())    # as `argmap show data-wall --json`

Every method of ``Argmap`` is one transaction; errors are ``argmap.errors.ArgmapError``s with
the CLI's one-line messages. ``actor`` says who is asking (``Actor(name, role)``): a viewer
reads, an editor also writes, an owner also undoes others' changes and manages people.
"""

from argmap.claims.history import as_json as change_json
from argmap.service.actors import LOCAL, Actor
from argmap.service.handle import Argmap, open

__all__ = ["Actor", "Argmap", "LOCAL", "change_json", "open"]
