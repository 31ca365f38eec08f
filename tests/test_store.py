"""The store API: claims, relations, removal, atomicity, constraints."""

import sqlite3

import pytest
from sqlalchemy import text

from argmap.claims.store import Store
from argmap.errors import AlreadyExists, InvalidInput, NotFound, StoreError


def test_add_claim_derives_a_slug_and_keeps_it_unique(store):
    a = store.add_claim("Bigger models learn more per example")
    b = store.add_claim("Bigger models learn more per example, again")
    assert a.id == "bigger-models-learn-more-per"
    assert b.id != a.id and b.id.startswith("bigger-models")
    assert store.get(a.id).text == "Bigger models learn more per example"
    assert a.kind == "claim" and a.created_at


def test_user_chosen_id_and_kind(store):
    t = store.add_claim("The thesis", claim_id="t1", kind="thesis")
    assert (t.id, t.kind) == ("t1", "thesis")
    with pytest.raises(AlreadyExists, match="t1"):
        store.add_claim("Another", claim_id="t1")
    with pytest.raises(InvalidInput, match="kind"):
        store.add_claim("x", kind="hunch")
    with pytest.raises(InvalidInput, match="invalid claim id"):
        store.add_claim("x", claim_id="has space")


@pytest.mark.parametrize("bad", ["", "   ", "\n\t", "nul\x00byte", "x" * 20_001])
def test_bad_texts_are_refused(store, bad):
    with pytest.raises(InvalidInput):
        store.add_claim(bad)
    assert store.list_claims() == []


def test_object_rebut_support_create_the_right_kinds_and_relations(store):
    store.add_claim("T", claim_id="t", kind="thesis")
    o = store.object("t", "Objection text", "o")
    r = store.rebut("o", "Rebuttal text", "r")
    s = store.support("t", "Support text", "s")
    assert (o.kind, r.kind, s.kind) == ("objection", "rebuttal", "claim")
    rels = {(x.source, x.target, x.type) for x in store.relations()}
    assert rels == {("o", "t", "attacks"), ("r", "o", "attacks"), ("s", "t", "supports")}


def test_rebutting_something_that_is_not_an_objection_is_refused(store):
    store.add_claim("T", claim_id="t")
    with pytest.raises(InvalidInput, match="not an objection"):
        store.rebut("t", "nope", "r")
    assert [c.id for c in store.list_claims()] == ["t"]


def test_relation_rules(store):
    store.add_claim("A", claim_id="a")
    store.add_claim("B", claim_id="b")
    store.link("a", "b", "attacks")
    with pytest.raises(AlreadyExists):
        store.link("a", "b", "supports")
    with pytest.raises(InvalidInput, match="itself"):
        store.link("a", "a", "attacks")
    with pytest.raises(NotFound, match="zz"):
        store.link("a", "zz", "attacks")
    with pytest.raises(InvalidInput, match="relation type"):
        store.link("b", "a", "likes")
    store.link("b", "a", "attacks")  # a mutual attack is a legitimate framework
    assert len(store.relations()) == 2
    store.unlink("a", "b")
    with pytest.raises(NotFound):
        store.unlink("a", "b")
    assert [(r.source, r.target) for r in store.relations()] == [("b", "a")]


def test_failed_action_writes_nothing(store):
    store.add_claim("T", claim_id="t")
    store.add_claim("taken", claim_id="taken")
    with pytest.raises(AlreadyExists):
        store.object("t", "an objection whose id is taken", "taken")
    assert store.relations() == []
    assert {c.id for c in store.list_claims()} == {"t", "taken"}
    with pytest.raises(NotFound):
        store.object("missing", "text", "new")
    assert "new" not in {c.id for c in store.list_claims()}


def test_remove_refuses_while_pointed_at_and_cascades(store):
    store.add_claim("T", claim_id="t", kind="thesis")
    store.object("t", "O", "o")
    store.rebut("o", "R", "r")
    store.add_claim("Other", claim_id="other")
    store.link("r", "other", "supports")  # r has another job, so it must survive
    store.rebut("o", "R2", "r2")
    with pytest.raises(InvalidInput, match="--cascade"):
        store.remove("o")
    assert {c.id for c in store.list_claims()} == {"t", "o", "r", "r2", "other"}
    removed = store.remove("o", cascade=True)
    assert removed == ["o", "r2"]
    assert {c.id for c in store.list_claims()} == {"t", "r", "other"}
    assert {(x.source, x.target) for x in store.relations()} == {("r", "other")}
    assert store.remove("t") == ["t"]


def test_foreign_keys_are_enforced_on_every_connection(store):
    if store.engine.dialect.name == "sqlite":  # off by default there: set on each connection
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    with pytest.raises(StoreError):
        with store.transaction() as s:
            s.connection().execute(text(
                "INSERT INTO relation (source_id, target_id, type, created_at) VALUES ('x', 'y', 'attacks', '2026-01-01')"))


def test_database_constraints_back_up_the_api(db_path, store):
    store.add_claim("A", claim_id="a")
    con = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError):
        con.execute("INSERT INTO relation (source_id, target_id, type, created_at) VALUES ('a', 'a', 'attacks', '')")
    with pytest.raises(sqlite3.IntegrityError):
        con.execute("INSERT INTO claim (id, text, kind, base_score, created_at) VALUES ('b', 't', 'hunch', 0.5, '')")
    con.close()


def test_detail_lists_supporters_attackers_and_evidence(demo_store):
    d = demo_store.detail("evolution-prior")
    assert d.claim.kind == "objection"
    assert {c.id for c in d.attackers} == {"genome-too-small", "marginal-still-worse"}
    assert {c.id for c in d.attacks} == {"language-exposure-gap", "data-black-hole"}
    assert d.evidence and d.evidence[0].source == "sample-efficiency-black-hole"
    data = d.to_json()
    assert data["id"] == "evolution-prior" and data["attackers"][0]["id"] in {"genome-too-small", "marginal-still-worse"}


def test_location_errors_are_clear(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store(str(tmp_path / "no" / "such" / "dir.db"))
    with pytest.raises(StoreError, match="directory"):
        Store(str(tmp_path))
    with pytest.raises(StoreError, match="no argmap store"):
        Store(str(tmp_path / "missing.db"), create=False)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not an argmap database"):
        Store(str(junk))
    assert junk.read_bytes() == b"this is not sqlite at all" * 100


def test_a_sqlite_database_of_another_program_is_refused(tmp_path):
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="not an argmap database"):
        Store(str(other))


def test_sqlalchemy_urls_are_accepted(tmp_path):
    url = f"sqlite:///{tmp_path / 'via-url.db'}"
    with Store(url) as s:
        s.add_claim("hello", claim_id="h")
    with Store(str(tmp_path / "via-url.db")) as s:
        assert s.get("h").text == "hello"
