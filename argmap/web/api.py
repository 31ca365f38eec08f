"""The HTTP JSON API under ``/api``: each route finds who is asking, calls one method of the
service layer and says what came back. No SQL and no rule of its own here: what may be done,
by whom, and every check on a value are the service layer's."""

import json
from typing import Any, Literal, Optional

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, ConfigDict

from argmap.service import Argmap, change_json
from argmap.web.auth import SAFE_METHODS

MAX_LIST = 100_000


def service_for(request: Request) -> Argmap:
    """The store, for the person asking (401 if nobody we know); a write sent with a session
    cookie must come from our own page with its CSRF token (403)."""
    gate = request.app.state.gate
    actor, csrf = gate.identify(request)
    if request.method not in SAFE_METHODS:
        if csrf is not None:
            gate.check_csrf(request, csrf, request.headers.get("x-csrf-token"))
        elif gate.mode == "open":
            gate.check_origin(request, required=False)
    request.state.actor = actor
    return request.app.state.service.as_actor(actor)


router = APIRouter(prefix="/api", dependencies=[Depends(service_for)])
Service = Depends(service_for)


def reply(data: Any, status: int = 200, rev: Optional[int] = None) -> Response:
    headers = {"Argmap-Revision": str(rev)} if rev is not None else None
    return Response(json.dumps(data, ensure_ascii=False), status, headers, media_type="application/json")


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewClaim(Body):
    text: str
    kind: Optional[str] = None
    id: Optional[str] = None
    base_score: Optional[float] = None


class Answer(Body):
    text: str
    id: Optional[str] = None


class ClaimChange(Body):
    text: Optional[str] = None
    kind: Optional[str] = None
    title: Optional[str] = None
    base_score: Optional[float] = None
    base_rev: Optional[int] = None


class NewRelation(Body):
    source: str
    target: str
    type: Literal["attacks", "supports"]
    base_rev: Optional[int] = None


class NewSource(Body):
    id: str
    title: str
    author: Optional[str] = None
    url: Optional[str] = None
    date: Optional[str] = None
    text: Optional[str] = None


class NewEvidence(Body):
    source: str
    quote: str
    locator: Optional[str] = None


class NewJudgement(Body):
    credence: Optional[float] = None  # none: clear your judgement


class Ask(Body):
    text: Optional[str] = None
    id: Optional[str] = None
    by: Optional[str] = None
    premise: Optional[str] = None


class NewGroup(Body):
    title: str
    id: Optional[str] = None
    parent: Optional[str] = None
    claims: list[str] = []


class GroupChange(Body):
    title: Optional[str] = None
    parent: Optional[str] = None
    top: bool = False  # move it out of the group it is in


class GroupClaims(Body):
    claims: list[str]


class UndoRequest(Body):
    rev: Optional[int] = None


# --- the map ----------------------------------------------------------------------------------

@router.get("/map", summary="The whole map, as `argmap export --format json` writes it")
def get_map(m: Argmap = Service) -> Response:
    return Response(m.document(), media_type="application/json")


@router.get("/status", summary="What stands and why, as `argmap status --json`")
def get_status(id: Optional[str] = None, semantics: str = "grounded",
               limit: Optional[int] = Query(None, ge=0, le=MAX_LIST), m: Argmap = Service) -> Response:
    return reply(m.status(id, semantics, limit=limit, auto_limit=True))


@router.get("/page", summary="What the map page draws, and the revision it shows")
def get_page(request: Request, m: Argmap = Service) -> Response:
    return reply(m.page(request.app.state.title))


@router.get("/me", summary="Who you are here, and what you may do")
def get_me(request: Request) -> Response:
    actor = request.state.actor
    return reply({"name": actor.name, "role": actor.role, "mode": request.app.state.gate.mode})


# --- claims -------------------------------------------------------------------------------------

@router.get("/claims", summary="Every claim (or those of one kind), as `argmap list --json`")
def list_claims(kind: Optional[str] = None, m: Argmap = Service) -> Response:
    return reply([c.to_json() for c in m.claims(kind)])


@router.get("/claims/{claim_id}", summary="One claim, as `argmap show ID --json`")
def get_claim(claim_id: str, m: Argmap = Service) -> Response:
    return reply(m.claim(claim_id).to_json())


@router.post("/claims", status_code=201, summary="Add a claim")
def add_claim(body: NewClaim, m: Argmap = Service) -> Response:
    made = m.add(body.text, body.kind or "claim", body.id, body.base_score)
    return reply(m.claim(made.id).to_json(), 201, m.last_rev)


@router.post("/claims/{claim_id}/objections", status_code=201, summary="Add an objection: a claim attacking this one")
def add_objection(claim_id: str, body: Answer, m: Argmap = Service) -> Response:
    made = m.object(claim_id, body.text, body.id)
    return reply(m.claim(made.id).to_json(), 201, m.last_rev)


@router.post("/claims/{claim_id}/rebuttals", status_code=201, summary="Add a rebuttal of this objection")
def add_rebuttal(claim_id: str, body: Answer, m: Argmap = Service) -> Response:
    made = m.rebut(claim_id, body.text, body.id)
    return reply(m.claim(made.id).to_json(), 201, m.last_rev)


@router.post("/claims/{claim_id}/supports", status_code=201, summary="Add a claim supporting this one")
def add_support(claim_id: str, body: Answer, m: Argmap = Service) -> Response:
    made = m.support(claim_id, body.text, body.id)
    return reply(m.claim(made.id).to_json(), 201, m.last_rev)


@router.patch("/claims/{claim_id}", summary="Change a claim's text, kind, title or base score",
              description="With `base_rev` (the revision you last saw), refused with 409 if the claim changed since.")
def edit_claim(claim_id: str, body: ClaimChange, m: Argmap = Service) -> Response:
    m.edit(claim_id, body.text, body.kind, body.base_score, body.title, body.base_rev)
    return reply(m.claim(claim_id).to_json(), 200, m.last_rev)


@router.delete("/claims/{claim_id}", summary="Remove a claim (refused while relations point at it, unless cascade)")
def remove_claim(claim_id: str, cascade: bool = False, base_rev: Optional[int] = None, m: Argmap = Service) -> Response:
    removed = m.remove(claim_id, cascade, base_rev)
    return reply({"removed": removed}, 200, m.last_rev)


@router.get("/claims/{claim_id}/history", summary="The changes that concern this claim, oldest first")
def claim_history(claim_id: str, m: Argmap = Service) -> Response:
    return reply([change_json(c, with_rows=False) for c in m.history(claim=claim_id)])


# --- relations, sources, evidence ---------------------------------------------------------------

@router.post("/relations", status_code=201, summary="Relate two claims: source attacks or supports target")
def add_relation(body: NewRelation, m: Argmap = Service) -> Response:
    return reply(m.link(body.source, body.target, body.type, body.base_rev).to_json(), 201, m.last_rev)


@router.delete("/relations", summary="Remove the relation from source to target")
def remove_relation(source: str, target: str, base_rev: Optional[int] = None, m: Argmap = Service) -> Response:
    return reply(m.unlink(source, target, base_rev).to_json(), 200, m.last_rev)


@router.get("/sources", summary="Every source, as `argmap source list --json`")
def list_sources(m: Argmap = Service) -> Response:
    return reply([s.to_json() for s in m.sources()])


@router.post("/sources", status_code=201, summary="Add a source (with its text, quotes are checked against it)")
def add_source(body: NewSource, m: Argmap = Service) -> Response:
    made = m.add_source(body.id, body.title, body.author, body.url, body.date, body.text)
    return reply(made.to_json(), 201, m.last_rev)


@router.post("/claims/{claim_id}/evidence", status_code=201, summary="Attach an exact quote from a source")
def add_evidence(claim_id: str, body: NewEvidence, m: Argmap = Service) -> Response:
    return reply(m.add_evidence(claim_id, body.source, body.quote, body.locator).to_json(), 201, m.last_rev)


@router.delete("/evidence/{evidence_id}", summary="Remove a quote")
def remove_evidence(evidence_id: int, m: Argmap = Service) -> Response:
    return reply(m.remove_evidence(evidence_id).to_json(), 200, m.last_rev)


# --- groups ---------------------------------------------------------------------------------------

@router.get("/groups", summary="The map's groups in order, each with its claims, as `argmap group list --json`")
def list_groups(m: Argmap = Service) -> Response:
    return reply([g.to_json() for g in m.groups()])


@router.post("/groups", status_code=201, summary="Add a group (inside `parent`), holding `claims`")
def add_group(body: NewGroup, m: Argmap = Service) -> Response:
    return reply(m.add_group(body.title, body.id, body.parent, tuple(body.claims)).to_json(), 201, m.last_rev)


@router.patch("/groups/{group_id}", summary="A group's new title, or its new place (`parent`, or `top`)")
def edit_group(group_id: str, body: GroupChange, m: Argmap = Service) -> Response:
    return reply(m.edit_group(group_id, body.title, body.parent, body.top).to_json(), 200, m.last_rev)


@router.delete("/groups/{group_id}", summary="Remove a group; its claims and inner groups move up to its parent")
def remove_group(group_id: str, m: Argmap = Service) -> Response:
    return reply(m.remove_group(group_id).to_json(), 200, m.last_rev)


@router.post("/groups/{group_id}/claims", summary="Move claims into the group")
def put_in_group(group_id: str, body: GroupClaims, m: Argmap = Service) -> Response:
    return reply(m.put_in_group(group_id, body.claims).to_json(), 200, m.last_rev)


@router.delete("/groups/{group_id}/claims/{claim_id}", summary="Take a claim out of its group")
def take_out_of_group(group_id: str, claim_id: str, m: Argmap = Service) -> Response:
    return reply(m.take_out_of_group(group_id, [claim_id]).to_json(), 200, m.last_rev)


# --- people's judgements -------------------------------------------------------------------------

@router.put("/claims/{claim_id}/judgement", summary="Your credence that the claim holds (0 to 1), as `argmap judge`",
            description="A credence of null clears your judgement (`argmap judge ID --clear`).")
def judge(claim_id: str, body: NewJudgement, m: Argmap = Service) -> Response:
    made = m.clear_judgement(claim_id) if body.credence is None else m.judge(claim_id, body.credence)
    return reply(made.to_json(), 200, m.last_rev)


@router.get("/judgements", summary="People's credences, as `argmap judgements --json`")
def list_judgements(claim: Optional[str] = None, author: Optional[str] = None, m: Argmap = Service) -> Response:
    return reply([j.to_json() for j in m.judgements(claim, author)])


@router.get("/perspective", summary="The map as someone judges it, as `argmap status --as WHO --json`")
def get_perspective(who: str = Query(..., alias="as", max_length=1_000), id: Optional[str] = None,
                    m: Argmap = Service) -> Response:
    return reply(m.perspective(who, id))


@router.get("/claims/{claim_id}/crux", summary="Where two people's disagreement matters, as `argmap crux ID --between A B --json`")
def crux_between(claim_id: str, between: list[str] = Query(..., min_length=2, max_length=2),
                 m: Argmap = Service) -> Response:
    return reply(m.crux_between(claim_id, between[0], between[1]))


# --- schemes and critical questions -------------------------------------------------------------

@router.get("/claims/{claim_id}/questions", summary="An argument's critical questions, as `argmap questions ID --json`")
def get_questions(claim_id: str, m: Argmap = Service) -> Response:
    return reply(m.questions(claim_id))


@router.post("/claims/{claim_id}/questions/{question}", status_code=201,
             summary="Ask a critical question: a claim that undercuts the argument, as `argmap ask`")
def ask(claim_id: str, question: str, body: Ask, m: Argmap = Service) -> Response:
    return reply(m.ask(claim_id, question, body.text, body.id, body.by, body.premise), 201, m.last_rev)


# --- the history --------------------------------------------------------------------------------

@router.get("/history", summary="The changes after a revision, oldest first")
def get_history(since: int = Query(0, ge=0), limit: int = Query(100, ge=1, le=1_000), m: Argmap = Service) -> Response:
    found = m.history(str(since))
    return reply([change_json(c, with_rows=False) for c in found[:limit]])


@router.post("/undo", summary="Undo a change (the latest by default) as a new change",
             description="An editor may undo only their own changes; an owner, anyone's.")
def undo(body: UndoRequest, m: Argmap = Service) -> Response:
    target = m.undo(body.rev)
    return reply({"undid": change_json(target, with_rows=False)}, 200, m.last_rev)


@router.get("/events", summary="Server-sent events: one `change` per change, from any writer",
            description="Each event's id is its revision; a reconnecting client sends Last-Event-ID and "
                        "hears what it missed.")
async def events(request: Request, since: Optional[int] = Query(None, ge=0),
                 last_event_id: Optional[str] = Header(None), m: Argmap = Service) -> StreamingResponse:
    broadcaster = request.app.state.broadcaster
    actor = request.state.actor
    start = since
    if last_event_id is not None and last_event_id.strip().isdigit() and len(last_event_id.strip()) < 19:
        start = int(last_event_id.strip())
    queue = broadcaster.open(actor.name or "local")
    try:
        replay = await run_in_threadpool(m.announcements, start) if start is not None else []
    except BaseException:
        broadcaster.close(queue)
        raise
    return StreamingResponse(broadcaster.stream(queue, replay), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
