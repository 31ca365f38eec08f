"""``argmap serve``: the map as a live web app (FastAPI on uvicorn) over the service layer.

``create_app(Config)`` builds the ASGI app (the in-process tests use it with starlette's
test client); ``run(Config, announce)`` serves it on a socket of its own. Errors are the
CLI's one-line messages as ``{"error": ...}``, with the HTTP status their kind calls for.
"""

import asyncio
import logging
import socket
import sys
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Callable, Optional

from argmap.errors import (AlreadyExists, ArgmapError, Conflict, Forbidden, InvalidInput, NotAuthenticated, NotFound,
                           StoreError, TooMany, one_line)

log = logging.getLogger("argmap.web")
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


@dataclass
class Config:
    location: Optional[str] = None
    host: str = "127.0.0.1"
    port: int = 8765
    token: Optional[str] = None        # the start-up token of a server run alone (None: a random one)
    insecure_no_auth: bool = False
    root_path: str = ""
    forwarded_allow_ips: Optional[str] = None
    title: str = "argmap"
    max_body: int = 1024 * 1024
    max_streams: int = 20              # open event streams per person
    author: Optional[str] = None       # who a server run alone writes as (default: as the CLI would)


STATUS = [(NotAuthenticated, 401), (Forbidden, 403), (NotFound, 404), (Conflict, 409), (AlreadyExists, 409),
          (TooMany, 429), (StoreError, 503), (InvalidInput, 400)]


def status_of(exc: ArgmapError) -> int:
    return next((code for kind, code in STATUS if isinstance(exc, kind)), 400)


def create_app(config: Config, service=None):
    """The app for the store of ``config``; ``service`` an open ``Argmap`` to serve (else opened)."""
    import json

    from fastapi import Depends, FastAPI, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import Response
    from starlette.exceptions import HTTPException

    from argmap.service import Actor, open as open_service
    from argmap.service.actors import local_name
    from argmap.web import api, pages
    from argmap.web.auth import Gate, new_secret
    from argmap.web.limits import Guard
    from argmap.web.live import Broadcaster

    service = service or open_service(config.location, create=False, actor=Actor(via="web"))
    if config.insecure_no_auth:
        mode = "open"
    else:
        mode = "accounts" if service.has_users() else "token"
    token = config.token or (new_secret() if mode == "token" else None)
    person = config.author or local_name()
    broadcaster = Broadcaster(service, config.max_streams)

    @asynccontextmanager
    async def lifespan(app):
        broadcaster.start(asyncio.get_running_loop())
        try:
            yield
        finally:
            await asyncio.get_running_loop().run_in_executor(None, broadcaster.stop)

    app = FastAPI(title="argmap", version="1", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None,
                  description="A claims-and-evidence map, edited together. Every write is one transaction; "
                              "errors are `{\"error\": \"...\"}`.")
    app.state.service, app.state.title, app.state.broadcaster = service, config.title, broadcaster
    app.state.gate = Gate(service, mode, token, person)
    app.state.token = token

    def error(status: int, message: str, extra: Optional[dict] = None, headers: Optional[dict] = None) -> Response:
        body = {"error": one_line(message), **(extra or {})}
        return Response(json.dumps(body, ensure_ascii=False), status, headers, media_type="application/json")

    @app.exception_handler(ArgmapError)
    async def argmap_error(request: Request, exc: ArgmapError) -> Response:
        status = status_of(exc)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        if isinstance(exc, TooMany) and exc.retry_after:
            headers = {"Retry-After": str(exc.retry_after)}
        return error(status, str(exc), {"conflict": exc.details} if isinstance(exc, Conflict) else None, headers)

    @app.exception_handler(RequestValidationError)
    async def bad_body(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for item in exc.errors()[:5]:
            if item.get("type") == "json_invalid":
                return error(422, "the request's body is not valid JSON")
            where = ".".join(str(x) for x in item.get("loc", ()) if x != "body") or "body"
            problems.append(f"{where}: {item.get('msg', 'invalid')}")
        return error(422, "the request is not as expected: " + "; ".join(problems))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        text = {404: "no such page or API route", 405: "that method is not allowed here"}.get(exc.status_code,
                                                                                            str(exc.detail))
        return error(exc.status_code, text, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.error("unexpected error in %s %s: %s", request.method, request.url.path, type(exc).__name__)
        return error(500, "unexpected error in the server (this is a bug in argmap; the server's log says where)")

    app.include_router(api.router)
    app.include_router(pages.router)

    @app.get("/openapi.json", include_in_schema=False, dependencies=[Depends(api.service_for)])
    def openapi() -> Response:
        return Response(json.dumps(app.openapi()), media_type="application/json")

    return Guard(app, config.max_body), app


def check_exposure(config: Config, has_users: bool) -> Optional[str]:
    """Refuse a server reachable from other machines that nobody logs in to; the warning to
    give when told to do so anyway."""
    if config.host in LOOPBACK:
        return None
    if config.insecure_no_auth:
        return (f"warning: serving {config.host} with no authentication (--insecure-no-auth): anyone who can reach "
                f"it may read and change the map")
    if not has_users:
        raise InvalidInput(f"--host {config.host} would let other machines reach the map, and it has no users yet: "
                           f"add them first (argmap user add NAME --role owner), or serve 127.0.0.1")
    return None


def listening_socket(host: str, port: int) -> socket.socket:
    """The server's own socket (port 0: a free one, known before the URL is printed). Its
    protocol is named: asyncio sets TCP_NODELAY only on sockets that say they are TCP, and
    without it every keep-alive answer waits ~40 ms for a delayed ACK (Nagle)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise InvalidInput(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(2048)
    return sock


def run(config: Config, announce: Callable[[str], None]) -> None:
    """Serve until interrupted (SIGINT/SIGTERM); ``announce`` is told the URL to open."""
    import uvicorn

    from argmap.service import Actor, open as open_service
    service = open_service(config.location, create=False, actor=Actor(via="web"))
    try:
        if service.store.read_only:
            raise StoreError(f"{service.where} is read-only: argmap serve writes (edits, sessions); "
                             f"serve a copy you may write")
        warning = check_exposure(config, service.has_users())
        asgi, app = create_app(config, service)
        sock = listening_socket(config.host, config.port)
        port = sock.getsockname()[1]
        host = f"[{config.host}]" if ":" in config.host else config.host
        base = f"http://{host}:{port}{config.root_path.rstrip('/')}/"
        mode = app.state.gate.mode
        if warning:
            log.warning(warning)
            print(warning, flush=True, file=sys.stderr)
        announce(f"{base}?token={app.state.token}" if mode == "token" else
                 f"{base}  (log in as one of the users: argmap user list)" if mode == "accounts" else base)
        uv = uvicorn.Config(asgi, log_level="warning", access_log=False, lifespan="on", proxy_headers=True,
                            forwarded_allow_ips=config.forwarded_allow_ips or "127.0.0.1",
                            root_path=config.root_path.rstrip("/"), timeout_graceful_shutdown=3,
                            server_header=False, date_header=True)
        broadcaster = app.state.broadcaster

        class Server(uvicorn.Server):
            def handle_exit(self, sig, frame):  # the open event streams end too, or uvicorn would wait for them
                broadcaster.end_streams()
                super().handle_exit(sig, frame)

        Server(uv).run(sockets=[sock])
    finally:
        service.close()
