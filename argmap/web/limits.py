"""What every response of the server carries, and what no request may exceed: pure ASGI
middleware, so that it holds for every route, the errors and the event stream alike."""

import json
import logging
import time
from typing import Any, Awaitable, Callable

Scope = dict[str, Any]
ASGI = Callable[[Scope, Callable, Callable], Awaitable[None]]
log = logging.getLogger("argmap.web")

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),  # no-referrer would make a browser send "Origin: null"
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
DEFAULT_CSP = b"default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


def json_error(status: int, message: str) -> tuple[int, list, bytes]:
    body = json.dumps({"error": message}, ensure_ascii=False).encode("utf-8")
    return status, [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())], body


class Guard:
    """Request bodies over ``max_body`` bytes are refused with 413 (by their Content-Length
    at once, or as they arrive); every response gets the security headers, a restrictive
    CSP unless it brings its own, and no caching; each request is logged without its query
    string (where a start-up token may be)."""

    def __init__(self, app: ASGI, max_body: int):
        self.app, self.max_body = app, max_body

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.monotonic()
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        state = {"status": 0, "sent": False}

        async def send_guarded(message: dict) -> None:
            if message["type"] == "http.response.start":
                state["status"], state["sent"] = message["status"], True
                out = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"server"]
                names = {k.lower() for k, _ in out}
                out += [h for h in SECURITY_HEADERS if h[0] not in names]
                if b"content-security-policy" not in names:
                    out.append((b"content-security-policy", DEFAULT_CSP))
                if b"cache-control" not in names:
                    out.append((b"cache-control", b"no-store"))
                message = {**message, "headers": out}
            await send(message)

        async def refuse(status: int, text: str) -> None:
            code, hdrs, body = json_error(status, text)
            await send_guarded({"type": "http.response.start", "status": code, "headers": hdrs})
            await send({"type": "http.response.body", "body": body})

        try:
            if declared is not None:
                if not declared.isdigit() or len(declared) > 18:
                    await refuse(400, "a Content-Length that is not a number")
                    return
                if int(declared) > self.max_body:
                    await refuse(413, f"the request body is larger than {self.max_body:,} bytes")
                    return
            seen = 0

            async def receive_bounded() -> dict:
                nonlocal seen
                if state.get("refused"):
                    return {"type": "http.disconnect"}
                message = await receive()
                if message["type"] == "http.request":
                    seen += len(message.get("body", b""))
                    if seen > self.max_body:  # refused here and now; the app sees the client go
                        await refuse(413, f"the request body is larger than {self.max_body:,} bytes")
                        state["refused"] = True
                        return {"type": "http.disconnect"}
                return message

            async def send_unless_refused(message: dict) -> None:
                if not state.get("refused"):
                    await send_guarded(message)

            await self.app(scope, receive_bounded, send_unless_refused)
        finally:
            log.info("%s %s %s %.1f ms", scope.get("method"), scope.get("path"), state["status"],
                     (time.monotonic() - started) * 1000)
