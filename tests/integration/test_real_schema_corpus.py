"""The real-schema corpus, quick form (issue 13): the dev half on SQLite through the real scan path.

Floors are lower bounds, set just below the figures measured when they were last set (dev split, SQLite,
as_of 2026-03-15; see benchmarks/README.md). They count what is found (true-positive PI columns,
children's tables and links) rather than ratios, so a corpus engineer extending a system does not lower
them, plus a column-precision floor with a 0.10 margin. Raise them when the classifier or the data map
improves; never lower them to let a change through (a label correction that removes true positives is the
one honest reason, and says so in its commit). A system without a floor must still load, scan and score.
"""

import pytest
from benchmarks.real_schemas import run_corpus

# Set 2026-12-05 on main 2a0d52e (registry of entity types, data map merged).
FLOORS = {
    # measured: 71 PI columns found (P 0.555, R 0.236), 49 children's tables, 280 links
    "evaka": {"columns_tp": 66, "precision": 0.46, "tables_tp": 45, "links_tp": 260},
    # measured: 158 PI columns found (P 0.84, R 0.448), 31 children's tables, 261 links
    "fedena": {"columns_tp": 146, "precision": 0.74, "tables_tp": 28, "links_tp": 242},
    # measured: 90 PI columns found (P 0.938, R 0.205), 1 children's tables, 0 links
    "hanru_zxxs": {"columns_tp": 83, "precision": 0.84, "tables_tp": 1, "links_tp": 0},
    # measured: 28 PI columns found (P 0.848, R 0.636), 1 children's tables, 0 links
    "kulebao": {"columns_tp": 26, "precision": 0.75, "tables_tp": 1, "links_tp": 0},
    # measured: 29 PI columns found (P 0.439, R 0.305), 1 children's tables, 75 links
    "moodle_k12": {"columns_tp": 26, "precision": 0.34, "tables_tp": 1, "links_tp": 69},
    # measured: 47 PI columns found (P 0.746, R 0.272), 28 children's tables, 171 links
    "rosariosis": {"columns_tp": 43, "precision": 0.65, "tables_tp": 26, "links_tp": 159},
}


@pytest.fixture(scope="module")
def dev():
    return run_corpus("dev", ["sqlite"])["dialects"]["sqlite"]


def test_every_dev_system_loads_and_scores_on_sqlite(dev):
    assert dev["systems"], "no dev systems in benchmarks/corpus/systems"
    assert not dev["failures"], dev["failures"]
    for sid, entry in dev["systems"].items():
        cols = entry["metrics"]["columns"]
        assert cols["labelled"] > 0 and cols["pi"] > 0, sid


@pytest.mark.parametrize("system", sorted(FLOORS))
def test_floors(dev, system):
    if system not in dev["systems"]:
        pytest.fail(f"{system} has a floor but is not in the dev half any more")
    m = dev["systems"][system]["metrics"]
    got = {"columns_tp": m["columns"]["tp"], "precision": m["columns"]["precision"] or 0.0,
           "tables_tp": m["tables"]["all"]["tp"], "links_tp": m["links"].get("tp") or 0}
    low = {k: (got[k], v) for k, v in FLOORS[system].items() if got[k] < v}
    assert not low, f"{system} below its floor (got, floor): {low}\n" + "\n".join(
        dev["systems"][system]["errors"][:40])


def test_pooled_dev_figures_are_reported(dev):
    pooled = dev["pooled"]
    assert pooled["systems"] == len(dev["systems"])
    assert pooled["columns"]["labelled"] == sum(e["metrics"]["columns"]["labelled"] for e in dev["systems"].values())
    assert pooled["links"]["produced"] is True
