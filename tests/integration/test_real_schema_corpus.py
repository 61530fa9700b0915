"""The real-schema corpus, quick form (issue 13): the dev half on SQLite through the real scan path.

Floors are lower bounds set just below the figures measured when each system's floor was added (see
benchmarks/README.md; dev split, SQLite, as_of 2026-03-15). Raise them when the classifier or the data map
improves; never lower them to let a change through. A system without a floor yet must still load, scan
and score.
"""

import pytest
from benchmarks.real_schemas import run_corpus

# system -> floor: column precision / recall / F1 (any PI found), children's-table recall (all tables).
FLOORS = {
    # measured 2026-12-05 on main 0ec2234: P 0.875 R 0.175 F1 0.292, tables R 0.033
    "hanru_zxxs": {"precision": 0.80, "recall": 0.16, "f1": 0.27, "table_recall": 0.03},
    # measured 2026-12-05 on main 0ec2234: P 0.523 R 0.133 F1 0.212, tables R 0.097
    "rosariosis": {"precision": 0.45, "recall": 0.12, "f1": 0.19, "table_recall": 0.09},
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
    floor = FLOORS[system]
    got = {"precision": m["columns"]["precision"], "recall": m["columns"]["recall"], "f1": m["columns"]["f1"],
           "table_recall": m["tables"]["all"]["recall"]}
    low = {k: (got[k], v) for k, v in floor.items() if (got[k] or 0.0) < v}
    assert not low, f"{system} below its floor (got, floor): {low}\n" + "\n".join(
        dev["systems"][system]["errors"][:40])


def test_pooled_dev_figures_are_reported(dev):
    pooled = dev["pooled"]
    assert pooled["systems"] == len(dev["systems"])
    assert pooled["columns"]["labelled"] == sum(e["metrics"]["columns"]["labelled"] for e in dev["systems"].values())
    assert pooled["links"]["produced"] in (True, False)
