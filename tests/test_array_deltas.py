"""Kept arrays patched from the change log, not rebuilt, after a write (issue 26): after any
sequence of writes (the store's API, undo, imports, direct SQL, on both engines) the next read
gives exactly what building them from the rows gives, element for element, and it got there
by patching whenever the log accounted for every change."""

import json
import random

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from argmap.claims import plain_reads, reads
from argmap.claims.array_deltas import same
from argmap.claims.rules import SCHEMA_VERSION
from argmap.errors import ArgmapError


def read_both(store):
    with store.transaction() as s:
        return reads.read_arrays(s), reads.build_from_rows(s)


def outside(store, *statements):
    """A direct SQL edit, as someone at the sqlite3 or psql prompt would make it."""
    with store.engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)


def pick(rng, store):
    with store.engine.connect() as conn:
        claims = [r[0] for r in conn.execute(text("SELECT id FROM claim ORDER BY id"))]
        relations = [tuple(r) for r in conn.execute(text("SELECT id, source_id, target_id, type FROM relation ORDER BY id"))]
        checks = [r[0] for r in conn.execute(text("SELECT id FROM computation ORDER BY id"))]
    return claims, relations, checks


def import_file(tmp_path, n):
    doc = {"format": "argmap", "version": 1, "claims": [{"id": f"imp{n}-a", "text": "Imported A"}, {"id": f"imp{n}-b", "text": "Imported B"}],
           "relations": [{"source": f"imp{n}-b", "target": f"imp{n}-a", "type": "attacks"}]}
    path = tmp_path / f"imp{n}.json"
    path.write_text(json.dumps(doc))
    return path


def one_write(rng, store, cli, location, tmp_path, step, engine):
    """A random write; what it was (for the failure message)."""
    claims, relations, checks = pick(rng, store)
    what = rng.choice(["add", "object", "support", "link", "unlink", "rekind", "score", "remove", "undo", "import",
                       "sql insert", "sql delete claim", "sql score", "sql check", "sql replace", "several"])
    a, b = rng.choice(claims), rng.choice(claims)
    if what == "add":
        store.add_claim(f"Claim {step}", f"zz-{step}" if rng.random() < 0.5 else f"aa-{step}")
    elif what in ("object", "support"):
        getattr(store, what)(a, f"Reply {step}", f"m{rng.randrange(10**6):06d}-{step}")
    elif what == "link":
        store.link(a, b, rng.choice(["attacks", "supports"]))
    elif what == "unlink" and relations:
        r = rng.choice(relations)
        store.unlink(r[1], r[2])
    elif what == "rekind" and relations:
        r = rng.choice(relations)
        outside(store, f"UPDATE relation SET type = '{'supports' if r[3] == 'attacks' else 'attacks'}' WHERE id = {r[0]}")
    elif what == "score":
        store.edit(a, base_score=round(rng.random(), 3))
    elif what == "remove":
        store.remove(a, cascade=True)
    elif what == "undo":
        store.undo()
    elif what == "import":
        cli("--db", location, "import", str(import_file(tmp_path, step)))
    elif what == "sql insert":
        outside(store, f"INSERT INTO relation (source_id, target_id, type, created_at) VALUES ('{a}', '{b}', 'attacks', '2026-01-01')")
    elif what == "sql delete claim":
        outside(store, f"DELETE FROM relation WHERE source_id = '{a}' OR target_id = '{a}'",
                f"DELETE FROM question_answer WHERE argument_id = '{a}' OR claim_id = '{a}'",
                *(f"DELETE FROM {t} WHERE claim_id = '{a}'" for t in ("evidence", "judgement", "resolution",
                                                                      "argument_scheme")),
                f"DELETE FROM computation_input WHERE computation_id IN (SELECT id FROM computation WHERE claim_id = '{a}') "
                f"OR ref_computation_id IN (SELECT id FROM computation WHERE claim_id = '{a}')",
                f"DELETE FROM computation WHERE claim_id = '{a}'", f"DELETE FROM claim WHERE id = '{a}'")
    elif what == "sql score":
        outside(store, f"UPDATE claim SET base_score = {round(rng.random(), 2)} WHERE id = '{a}'")
    elif what == "sql check" and checks:
        outside(store, f"""UPDATE computation SET "check" = '{rng.choice(["fails", "passes"])}' WHERE id = '{rng.choice(checks)}'""")
    elif what == "sql replace" and relations:  # the same pair written again: the old row goes
        r = rng.choice(relations)
        kind = "supports" if r[3] == "attacks" else "attacks"
        if engine == "sqlite":
            outside(store, f"INSERT OR REPLACE INTO relation (source_id, target_id, type, created_at) "
                           f"VALUES ('{r[1]}', '{r[2]}', '{kind}', '2026-01-01')")
        else:
            outside(store, f"DELETE FROM relation WHERE id = {r[0]}",
                    f"INSERT INTO relation (source_id, target_id, type, created_at) VALUES ('{r[1]}', '{r[2]}', '{kind}', '2026-01-01')")
    elif what == "several":  # one transaction: a claim in, linked, its score moved, then out again
        outside(store, f"INSERT INTO claim (id, text, kind, base_score, created_at, updated_at) "
                       f"VALUES ('tmp-{step}', 'T', 'claim', 0.5, '2026-01-01', '2026-01-01')",
                f"INSERT INTO relation (source_id, target_id, type, created_at) VALUES ('tmp-{step}', '{a}', 'attacks', '2026-01-01')",
                f"UPDATE claim SET base_score = 0.75 WHERE id = 'tmp-{step}'",
                f"UPDATE claim SET base_score = 0.25 WHERE id = '{a}'",
                f"DELETE FROM relation WHERE source_id = 'tmp-{step}'", f"DELETE FROM claim WHERE id = 'tmp-{step}'")
    return what


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_arrays_after_any_writes_equal_arrays_built_from_the_rows(seed, demo_store, cli, location, tmp_path, engine):
    rng = random.Random(seed)
    made, done = [], []
    for step in range(45):
        try:
            done.append(one_write(rng, demo_store, cli, location, tmp_path, step, engine or "sqlite"))
        except (ArgmapError, IntegrityError) as exc:  # a refused write (a cycle, a pair taken): nothing changed
            done.append(f"refused: {type(exc).__name__}")
        if rng.random() < 0.7:
            kept, rebuilt = read_both(demo_store)
            assert same(kept, rebuilt), done
            made.append(kept.made)
    kept, rebuilt = read_both(demo_store)
    assert same(kept, rebuilt) and kept.made == "kept"
    assert made.count("patched") >= 10, made  # the point: most reads after a write patched


def test_a_small_write_is_patched_without_reading_the_rows(demo_store, monkeypatch):
    demo_store.read_arrays()
    demo_store.object("evolution-prior", "A fresh objection", "aaa-first")  # sorts first: every index moves
    demo_store.edit("genome-too-small", base_score=0.11)
    with monkeypatch.context() as m:
        m.setattr(plain_reads, "build_from_rows", lambda db: pytest.fail("built from the rows"))
        patched = demo_store.read_arrays()
    assert patched.made == "patched" and patched.names[0] == "aaa-first"
    assert patched.base[patched.index["genome-too-small"]] == 0.11
    kept, rebuilt = read_both(demo_store)
    assert kept.made == "kept" and same(kept, rebuilt) and same(patched, rebuilt)


def test_an_import_and_a_change_bigger_than_the_limit_are_built_from_the_rows(demo_store, cli, location, tmp_path,
                                                                               monkeypatch):
    demo_store.read_arrays()
    cli("--db", location, "import", str(import_file(tmp_path, 1)))  # one bulk entry: the log does not list the rows
    kept, rebuilt = read_both(demo_store)
    assert kept.made == "built" and same(kept, rebuilt) and "imp1-a" in kept.names
    monkeypatch.setattr("argmap.claims.array_deltas.MIN_LIMIT", 2)
    for k in range(3):
        demo_store.add_claim(f"More {k}", f"more-{k}")
    kept, rebuilt = read_both(demo_store)
    assert kept.made == "built" and same(kept, rebuilt)
    demo_store.add_claim("One more", "more-x")
    kept, rebuilt = read_both(demo_store)
    assert kept.made == "patched" and same(kept, rebuilt)


@pytest.mark.sqlite_only
def test_a_change_the_log_missed_is_rebuilt_not_patched(demo_store, db_path):
    demo_store.read_arrays()
    outside(demo_store, "DROP TRIGGER log_relation_delete",
            "DELETE FROM relation WHERE source_id = 'genome-too-small'")  # the generation moved, nothing logged
    kept, rebuilt = read_both(demo_store)
    assert kept.made == "built" and same(kept, rebuilt)


@pytest.mark.postgresql_only
def test_a_truncate_on_postgresql_is_rebuilt_not_patched(demo_store):
    demo_store.read_arrays()
    outside(demo_store, "TRUNCATE question_answer, argument_scheme, relation")
    kept, rebuilt = read_both(demo_store)
    assert kept.made == "built" and same(kept, rebuilt) and len(kept.src) == len(kept.names) - kept.claims


def test_a_store_of_schema_9_is_upgraded_and_then_patched(location, engine, demo_store):
    from argmap.claims.store import Store
    blob = "BYTEA" if engine else "BLOB"
    outside(demo_store, "ALTER TABLE kept_arrays DROP COLUMN logged", "ALTER TABLE kept_arrays DROP COLUMN relation_ids",
            "DROP TABLE kept_results", *(f"ALTER TABLE kept_arrays ADD COLUMN {c}" for c in
                                         (f"labels {blob}", f"strengths {blob}", "converged INTEGER")),
            "UPDATE meta SET value = '9' WHERE key = 'schema_version'",
            *([f"DROP TRIGGER bump_{t} ON {t}" for t in ("claim", "relation", "computation")]
              + [f"DROP TRIGGER bump_{t}_truncate ON {t}" for t in ("claim", "relation", "computation")]
              + [f"CREATE TRIGGER bump_{t} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {t} FOR EACH STATEMENT "
                 f"EXECUTE FUNCTION argmap_bump_generation()" for t in ("claim", "relation", "computation")]
              if engine else []))
    demo_store.close()
    with Store(location) as store:
        assert store.schema_version == SCHEMA_VERSION
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM kept_results").scalar_one() == 0
        first = store.read_arrays()
        store.object("evolution-prior", "After the upgrade", "after-upgrade")
        with store.engine.begin() as conn:  # several rows in one statement: one step each
            conn.exec_driver_sql("UPDATE claim SET base_score = 0.3 WHERE id IN ('genome-too-small', 'driving-gap')")
        kept, rebuilt = read_both(store)
        assert first.made == "built" and kept.made == "patched" and same(kept, rebuilt)


def test_after_a_small_write_only_what_it_reaches_is_labelled_again(demo_store, cli, location, monkeypatch):
    first = cli("--db", location, "status", "--json").stdout  # labels kept beside the arrays
    cli("--db", location, "object", "genome-too-small", "A new objection", "--id", "fresh")
    with monkeypatch.context() as m:  # no labelling from scratch: the old labels, relabelled where it reaches
        m.setattr("argmap.graph.semantics.arrays.grounded", lambda af: pytest.fail("labelled from scratch"))
        after = cli("--db", location, "status", "--json").stdout
    with demo_store.transaction() as s:
        rebuilt = reads.build_from_rows(s)
    from argmap.graph.semantics.grounded import NAMES, grounded
    labels = grounded(rebuilt.framework())
    shown = {row["id"]: row["label"] for row in json.loads(after)["claims"]}
    assert shown == {name: NAMES[int(labels[i])] for i, name in enumerate(rebuilt.names[:rebuilt.claims])}
    assert shown["genome-too-small"] != {r["id"]: r["label"] for r in json.loads(first)["claims"]}["genome-too-small"]
