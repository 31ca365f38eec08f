"""The pages a browser opens: the editable map at ``/``, and logging in and out."""

import html
import secrets
from typing import Optional
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from argmap.errors import ArgmapError, NotAuthenticated, TooMany, one_line
from argmap.service.accounts import SESSION_HOURS

router = APIRouter(include_in_schema=False)
PAGE_CSP = ("default-src 'none'; script-src 'nonce-{nonce}'; worker-src blob:; style-src 'unsafe-inline'; img-src data:; font-src data:; "
            "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
FORM_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"


def set_session(request: Request, response: Response, session_id: str) -> None:
    gate = request.app.state.gate
    response.set_cookie(gate.cookie, session_id, max_age=SESSION_HOURS * 3600, path=_base(request) or "/",
                        httponly=True, samesite="strict", secure=request.url.scheme == "https")


def _base(request: Request) -> str:
    return (request.scope.get("root_path") or "").rstrip("/")


@router.get("/")
def map_page(request: Request) -> Response:
    gate = request.app.state.gate
    token = request.query_params.get("token")
    if token is not None:  # the start-up token, once: a session cookie instead, and the URL without it
        try:
            session_id, _ = gate.start_token_session(token)
        except NotAuthenticated as exc:
            return _message(request, 401, "Not let in", str(exc))
        rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
        response = RedirectResponse(f"{_base(request)}/" + (f"?{urlencode(rest)}" if rest else ""), 303)
        set_session(request, response, session_id)
        return response
    try:
        actor, csrf = gate.identify(request)
    except NotAuthenticated as exc:
        if gate.mode == "accounts":
            return RedirectResponse(f"{_base(request)}/login", 303)
        return _message(request, 401, "Not let in", str(exc))
    return _map(request, actor, csrf)


def _map(request: Request, actor, csrf: Optional[str]) -> Response:
    from argmap.graph.render import page_html
    state = request.app.state
    page = state.service.as_actor(actor).page(state.title)
    nonce = secrets.token_urlsafe(18)
    live = {"rev": page["rev"], "csrf": csrf, "user": actor.name, "role": actor.role, "mode": state.gate.mode,
            "base": _base(request)}
    body = page_html(page["data"], state.title, live=live, nonce=nonce)
    return HTMLResponse(body, headers={"Content-Security-Policy": PAGE_CSP.format(nonce=nonce)})


LOGIN = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log in: {title}</title>
<style>body {{ font-family: system-ui, sans-serif; max-width: 24em; margin: 10vh auto; padding: 0 1em; }}
label {{ display: block; margin-top: 0.8em; }} input {{ width: 100%; font-size: 1em; box-sizing: border-box; }}
button {{ margin-top: 1em; font-size: 1em; }} .error {{ color: #b23a2b; overflow-wrap: anywhere; }}</style></head>
<body><h1>{title}</h1>{error}
<form method="post" action="{base}/login">
<input type="hidden" name="csrf" value="{csrf}">
<label for="name">User name</label><input id="name" name="name" autocomplete="username" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Log in</button></form></body></html>"""


@router.get("/login")
def login_page(request: Request) -> Response:
    return _login(request, 200, "")


def _login(request: Request, status: int, error: str, headers: Optional[dict] = None) -> Response:
    gate = request.app.state.gate
    if gate.mode != "accounts":
        return RedirectResponse(f"{_base(request)}/", 303)
    csrf = secrets.token_urlsafe(24)
    page = LOGIN.format(title=html.escape(request.app.state.title), base=html.escape(_base(request)), csrf=csrf,
                        error=f'<p class="error" role="alert">{html.escape(error)}</p>' if error else "")
    response = HTMLResponse(page, status, headers={"Content-Security-Policy": FORM_CSP, **(headers or {})})
    response.set_cookie(gate.login_cookie, csrf, max_age=3600, path=_base(request) or "/", httponly=True,
                        samesite="strict", secure=request.url.scheme == "https")
    return response


async def _form(request: Request) -> dict[str, str]:
    """An urlencoded form (bounded by the server's body limit), one value per field."""
    raw = (await request.body()).decode("utf-8", "replace")
    return {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True, max_num_fields=10).items()}


@router.post("/login")
async def login(request: Request) -> Response:
    gate = request.app.state.gate
    if gate.mode != "accounts":
        return RedirectResponse(f"{_base(request)}/", 303)
    try:
        gate.check_origin(request, required=True)
        form = await _form(request)
        expected = request.cookies.get(gate.login_cookie)
        if not expected or not secrets.compare_digest(form.get("csrf", ""), expected):
            return _login(request, 403, "the login form had expired: try again")
        gate.count_login(request.client.host if request.client else "unknown")
        actor, session_id, _ = await run_in_threadpool(request.app.state.service.login, form.get("name", ""),
                                                       form.get("password", ""))
    except TooMany as exc:
        return _login(request, 429, str(exc), {"Retry-After": str(exc.retry_after)})
    except NotAuthenticated as exc:
        return _login(request, 401, str(exc))
    except ArgmapError as exc:
        return _login(request, 403, one_line(str(exc)))
    response = RedirectResponse(f"{_base(request)}/", 303)
    set_session(request, response, session_id)
    response.delete_cookie(gate.login_cookie, path=_base(request) or "/")
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    gate = request.app.state.gate
    session_id = request.cookies.get(gate.cookie)
    found = await run_in_threadpool(gate.session, session_id) if session_id else None
    if found is not None:
        form = await _form(request)
        gate.check_csrf(request, found[1], form.get("csrf") or request.headers.get("x-csrf-token"))
        await run_in_threadpool(request.app.state.service.end_session, session_id)
    response = RedirectResponse(f"{_base(request)}/login" if gate.mode == "accounts" else f"{_base(request)}/", 303)
    response.delete_cookie(gate.cookie, path=_base(request) or "/")
    return response


def _message(request: Request, status: int, title: str, text: str) -> Response:
    page = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>'
            f'<body><h1>{html.escape(title)}</h1><p>{html.escape(one_line(text))}</p></body></html>')
    return HTMLResponse(page, status, headers={"Content-Security-Policy": FORM_CSP})
