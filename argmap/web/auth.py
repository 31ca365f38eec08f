"""Who is asking: a bearer token, or a session cookie with its CSRF token for every write.

Three ways to run a server (``Gate.mode``):
- ``token``: one person on their own machine (no accounts in the store). The start-up token,
  random or ``$ARGMAP_SERVE_TOKEN``, is the key: in ``Authorization: Bearer``, or once in
  the page's URL, which then sets a session cookie and redirects to the URL without it.
- ``accounts``: a team. People log in with a password (a session cookie), scripts use API
  tokens (``argmap token create``).
- ``open``: ``--insecure-no-auth``: anyone who reaches the server is its owner.

What a role allows is the service layer's to decide; this only finds the person.
"""

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from typing import Optional
from urllib.parse import urlsplit

from argmap.errors import Forbidden, NotAuthenticated, TooMany
from argmap.service import Actor

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
IP_LOGINS, IP_WINDOW_S = 30, 15 * 60  # login attempts per client address, per server process


class Gate:
    def __init__(self, service, mode: str, token: Optional[str], local_name: str):
        self.service, self.mode, self.token = service, mode, token
        self.local = Actor(local_name, "owner", "web")
        where = hashlib.sha256(service.where.encode("utf-8")).hexdigest()[:10]
        self.cookie = f"argmap_{where}"  # one store, one cookie, whichever process or port serves it
        self.login_cookie = f"argmap_login_{where}"
        self._attempts: dict[str, deque] = {}
        self._lock = threading.Lock()

    # --- finding the person ------------------------------------------------------------------

    def identify(self, request) -> tuple[Actor, Optional[str]]:
        """(the person, the CSRF token their writes must carry: None for a bearer token)."""
        if self.mode == "open":
            return self.local, None
        header = request.headers.get("authorization")
        if header is not None:
            kind, _, value = header.partition(" ")
            if kind.lower() != "bearer" or not value.strip():
                raise NotAuthenticated("give the token as `Authorization: Bearer TOKEN`")
            return self.bearer(value.strip()), None
        session_id = request.cookies.get(self.cookie)
        if session_id:
            found = self.session(session_id)
            if found is not None:
                return found
        raise NotAuthenticated("not logged in: " + ("open the URL that `argmap serve` printed, or give its token as "
                                                    "`Authorization: Bearer TOKEN`" if self.mode == "token" else
                                                    "log in, or give an API token as `Authorization: Bearer TOKEN`"))

    def bearer(self, value: str) -> Actor:
        if self.mode == "token":
            if self.token and hmac.compare_digest(value.encode("utf-8", "surrogatepass"),
                                                  self.token.encode("utf-8")):
                return self.local
        elif len(value) <= 200:
            actor = self.service.actor_of_token(value)
            if actor is not None:
                return actor
        raise NotAuthenticated("that token is not valid here")

    def session(self, session_id: str) -> Optional[tuple[Actor, str]]:
        if len(session_id) > 200:
            return None
        found = self.service.session(session_id)
        if found is None:
            return None
        actor, csrf = found
        if actor is None:  # a session let in by the start-up token: only while the server is run alone
            return (self.local, csrf) if self.mode == "token" else None
        return (actor, csrf) if self.mode == "accounts" else None

    def start_token_session(self, given: str) -> tuple[str, str]:
        """The start-up token from a URL: a new session for the one person."""
        self.bearer(given)
        return self.service.start_session(None)

    # --- writes from a browser ----------------------------------------------------------------

    def check_origin(self, request, required: bool) -> None:
        """A write sent by a page must come from this server's own pages: its Origin (or, from
        an older browser, its Referer) must be this server, and a browser's own Sec-Fetch-Site must
        not say another site. ``required``: refuse a write
        that says neither (one with a cookie: only a browser sends those)."""
        expected = f"{request.url.scheme}://{request.url.netloc}".lower()
        if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
            raise Forbidden("refused: this write comes from another site (Origin)")  # the browser says so
        origin = request.headers.get("origin")
        if origin == "null" and request.headers.get("sec-fetch-site") == "same-origin":
            return  # a privacy setting hid the origin; the browser vouches that it is ours
        if origin is None:
            referer = request.headers.get("referer")
            if referer:
                parts = urlsplit(referer)
                origin = f"{parts.scheme}://{parts.netloc}"
        if origin is None:
            if required:
                raise Forbidden("a write from a browser must say where it comes from (Origin)")
            return
        if origin.lower() != expected:
            raise Forbidden("refused: this write comes from another site (Origin)")

    def check_csrf(self, request, csrf: str, given: Optional[str]) -> None:
        self.check_origin(request, required=True)
        if not given or not hmac.compare_digest(given.encode("utf-8", "surrogatepass"), csrf.encode("utf-8")):
            raise Forbidden("refused: a write from a page needs its CSRF token (reload the page)")

    # --- logins ---------------------------------------------------------------------------

    def count_login(self, address: str) -> None:
        """At most ``IP_LOGINS`` login attempts per address in ``IP_WINDOW_S`` (the store keeps
        the limit per account name, for every process)."""
        now = time.monotonic()
        with self._lock:
            seen = self._attempts.setdefault(address, deque())
            while seen and seen[0] < now - IP_WINDOW_S:
                seen.popleft()
            if len(seen) >= IP_LOGINS:
                raise TooMany("too many login attempts from this address: wait a few minutes",
                              int(seen[0] + IP_WINDOW_S - now) + 1)
            seen.append(now)
            if len(self._attempts) > 10_000:  # bounded memory: forget the quietest addresses
                for key in [k for k, v in self._attempts.items() if not v][:5_000]:
                    del self._attempts[key]


def new_secret() -> str:
    return secrets.token_urlsafe(24)
