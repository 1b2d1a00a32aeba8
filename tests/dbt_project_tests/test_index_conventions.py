"""Entropy conventions of published work through the real dbt models, on a hand case.

A nine-row pool (three provinces x three years, one positive and one negative indicator)
is written straight into the tables the entropy models read; one composite per
convention is listed in the index methods. Each composite's weights and scores from SQL
equal the Python twin (stats.entropy_index with the same options) to 1e-9, and the
default and a published do-file's convention equal numbers worked out here by hand. An
unknown option name stops the build with a message naming the choices."""
import dataclasses
import math

import duckdb
import numpy as np
import pandas as pd
import pytest

from stats import entropy_index
from tests.dbt_helpers import dbt, query
from warehouse.paths import DataPaths

PROVINCES, YEARS = ["110000", "120000", "130000"], [2016, 2017, 2018]
A = [1.0, 2.0, 4.0, 2.0, 3.0, 5.0, 1.0, 1.5, 6.0]   # positive; rows: province-major, year-minor
B = [9.0, 7.0, 6.0, 8.0, 8.5, 3.0, 9.5, 2.0, 4.0]   # negative
METHOD_COLUMNS = ["composite", "index_name", "method", "pool", "k", "zeros", "epsilon", "scale",
                  "matrix", "keep", "keep_value", "score", "rescale", "rescale_min",
                  "rescale_max"]
CONVENTIONS = {  # composite -> entropy options (empty: the default)
    "e_default": {}, "e_year": {"pool": "year"}, "e_province": {"pool": "province"},
    "e_years": {"k": "years"}, "e_provinces": {"k": "provinces"},
    "e_shift_p": {"zeros": "shift_p"}, "e_shift_s": {"zeros": "shift_s"},
    "e_shift_s_eps": {"zeros": "shift_s", "epsilon": "0.01"}, "e_scale": {"scale": "100"},
    "e_dofile": {"k": "years", "zeros": "shift_p"},  # by id: egen m = count(year); w + 1e-10
    "e_year_provinces": {"pool": "year", "k": "provinces"},
}
MODELS = ["stg_reference__index_methods", "int_entropy_standardised", "int_entropy_weights",
          "int_entropy_scores"]


def pool() -> pd.DataFrame:
    rows = [(p, y) for p in PROVINCES for y in YEARS]
    return pd.DataFrame({"province_code": [p for p, _ in rows], "year": [y for _, y in rows],
                         "a": A, "b": B})


def write_inputs(paths: DataPaths, methods: list[dict], values: pd.DataFrame | None = None,
                 catalogue: pd.DataFrame | None = None) -> None:
    """The tables the entropy models read, as dbt would have built them (by default the
    nine-row pool of a and b)."""
    if values is None:
        values = pool().melt(id_vars=["province_code", "year"], var_name="indicator_code",
                             value_name="value")
        catalogue = pd.DataFrame({"indicator_code": ["a", "b"], "index_name": ["demo", "demo"],
                                  "direction": ["positive", "negative"]})
    years = pd.DataFrame({"year": YEARS, "in_panel": True})
    seed = pd.DataFrame([{c: m.get(c, "") for c in METHOD_COLUMNS} for m in methods],
                        dtype="string")
    conn = duckdb.connect(str(paths.build_db))
    for schema, table, data in [("intermediate", "int_indicator_values", values),
                                ("intermediate", "int_panel_years", years),
                                ("staging", "stg_reference__indicator_catalogue", catalogue),
                                ("reference", "index_methods", seed)]:
        conn.execute(f"create schema if not exists {schema}")
        conn.register("incoming", data)
        conn.execute(f"create or replace table {schema}.{table} as select * from incoming")
        conn.unregister("incoming")
    conn.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    paths = DataPaths.from_dir(tmp_path_factory.mktemp("conventions")).ensure()
    write_inputs(paths, [{"composite": c, "index_name": "demo", "method": "entropy", **o}
                         for c, o in CONVENTIONS.items()])
    dbt(paths, "run", "--quiet", "--select", *MODELS)
    return paths


def twin(options: dict):
    kw = {"pool": options.get("pool", "all"), "k": options.get("k", "n"),
          "zeros": options.get("zeros", "zero"),
          "epsilon": float(options["epsilon"]) if "epsilon" in options else None,
          "scale": float(options.get("scale", 1))}
    return entropy_index(pool(), ["a", "b"], negative=["b"], **kw)


@pytest.mark.parametrize("composite", list(CONVENTIONS))
def test_every_convention_in_sql_equals_the_twin(built, composite):
    options = CONVENTIONS[composite]
    expected = twin(options)
    weights = query(built, "select pool_group, indicator_code, entropy, divergence, weight "
                           f"from intermediate.int_entropy_weights where composite = '{composite}' "
                           "order by pool_group, indicator_code")
    table = expected.weights
    if "group" not in table:
        table = table.assign(group="all")
    table = table.sort_values(["group", "indicator"]).reset_index(drop=True)
    assert weights.pool_group.tolist() == table.group.tolist()
    for column in ("entropy", "divergence", "weight"):
        np.testing.assert_allclose(weights[column], table[column], rtol=0, atol=1e-9)
    scores = query(built, "select province_code, year, score from intermediate.int_entropy_scores "
                          f"where composite = '{composite}' order by province_code, year")
    np.testing.assert_allclose(scores.score, expected.scores, rtol=0, atol=1e-9)


def _by_hand(k_of_row, shift_p: float = 0.0):
    """Weights and scores over the whole pool, written out: s, p, e = -sum k_i t(p_i), with
    t(p) = p ln p (0 ln 0 = 0) or (p + shift) ln(p + shift); d = 1 - e; w = d / sum d."""
    s = {"a": [(x - min(A)) / (max(A) - min(A)) for x in A],
         "b": [(max(B) - x) / (max(B) - min(B)) for x in B]}
    e = {}
    for j, col in s.items():
        p = [x / sum(col) for x in col]
        terms = [(q + shift_p) * math.log(q + shift_p) if shift_p else
                 (q * math.log(q) if q > 0 else 0.0) for q in p]
        e[j] = -sum(k_of_row(i) * t for i, t in enumerate(terms))
    d = {j: 1 - v for j, v in e.items()}
    w = {j: v / sum(d.values()) for j, v in d.items()}
    scores = [w["a"] * s["a"][i] + w["b"] * s["b"][i] for i in range(9)]
    return e, d, w, scores


def test_the_default_and_a_published_do_file_by_hand(built):
    e, _, w, scores = _by_hand(lambda i: 1 / math.log(9))
    sql = query(built, "select indicator_code, entropy, weight from intermediate.int_entropy_weights "
                       "where composite = 'e_default' order by 1")
    assert sql.entropy.tolist() == pytest.approx([e["a"], e["b"]], abs=1e-12)
    assert sql.weight.tolist() == pytest.approx([w["a"], w["b"]], abs=1e-12)
    got = query(built, "select score from intermediate.int_entropy_scores "
                       "where composite = 'e_default' order by province_code, year").score
    assert got.tolist() == pytest.approx(scores, abs=1e-12)
    # k = 1/ln(T), T = 3 years per province, summed over all nine rows; p + 1e-10 in both
    # factors: e near 2 ln 3 / ln 3, so every d is negative, and the weights still sum to 1
    e, d, w, scores = _by_hand(lambda i: 1 / math.log(3), shift_p=1e-10)
    sql = query(built, "select indicator_code, entropy, divergence, weight "
                       "from intermediate.int_entropy_weights where composite = 'e_dofile' "
                       "order by 1")
    assert sql.divergence.tolist() == pytest.approx([d["a"], d["b"]], abs=1e-9)
    assert all(x < 0 for x in sql.divergence) and sum(sql.weight) == pytest.approx(1, abs=1e-12)
    assert sql.weight.tolist() == pytest.approx([w["a"], w["b"]], abs=1e-9)


def test_pooling_within_each_year_gives_weights_per_year(built):
    sql = query(built, "select pool_group, sum(weight) as total, count(*) as n "
                       "from intermediate.int_entropy_weights where composite = 'e_year' "
                       "group by 1 order by 1")
    assert sql.pool_group.tolist() == ["2016", "2017", "2018"]
    assert sql.total.tolist() == pytest.approx([1, 1, 1]) and set(sql.n) == {2}


def test_an_unknown_option_names_the_choices(tmp_path):
    paths = DataPaths.from_dir(tmp_path).ensure()
    write_inputs(paths, [{"composite": "digde", "index_name": "demo", "method": "entropy",
                          "pool": "yearly"}])
    dbt(paths, "run", "--quiet", "--select", "stg_reference__index_methods")
    with pytest.raises(duckdb.Error, match="index_methods.csv: composite digde: unknown pool "
                                           "'yearly'; choose one of all, year, province"):
        query(paths, "select * from staging.stg_reference__index_methods")
    with pytest.raises(ValueError, match="unknown k 'T'; choose one of n, years, provinces"):
        entropy_index(pool(), ["a", "b"], k="T")


def test_a_province_year_best_on_every_indicator_scores_one_and_passes_the_panel_check(tmp_path):
    """Its standardised values are all 1, so its score is the sum of the weights: 1, up to
    their rounding (an ulp either way in some pools). The panel suite's range check on digde
    (blocking) must take that as 1; a score clearly above 1 still fails it."""
    from quality.suites import SUITES_DIR, load_suites, run_suite
    rng = np.random.default_rng(7)
    rows = [(p, y) for p in PROVINCES for y in YEARS]
    values, catalogue, methods = [], [], []
    for k in range(60):  # 60 pools of four indicators, row 0 the largest of each
        for j in range(4):
            x = rng.uniform(1, 100, len(rows))
            x[0] = 150 + rng.uniform(0, 50)
            values += [(p, y, f"i{k}_{j}", float(v)) for (p, y), v in zip(rows, x)]
            catalogue.append((f"i{k}_{j}", f"demo{k}", "positive"))
        methods.append({"composite": f"c{k}", "index_name": f"demo{k}", "method": "entropy"})
    paths = DataPaths.from_dir(tmp_path).ensure()
    write_inputs(paths, methods,
                 pd.DataFrame(values, columns=["province_code", "year", "indicator_code", "value"]),
                 pd.DataFrame(catalogue, columns=["indicator_code", "index_name", "direction"]))
    dbt(paths, "run", "--quiet", "--select", *MODELS)
    best = query(paths, "select score as digde from intermediate.int_entropy_scores "
                        f"where province_code = '{PROVINCES[0]}' and year = {YEARS[0]}")
    assert len(best) == 60 and best.digde.tolist() == pytest.approx([1.0] * 60, abs=1e-12)
    panel = next(s for s in load_suites(SUITES_DIR) if s.table == "marts.fct_province_year_panel")
    rule = [e for e in panel.batches[0]["expectations"]
            if e.get("expect_column_values_to_be_between", {}).get("column") == "digde"]
    suite = dataclasses.replace(panel, table="main.panel",
                                batches=[{"name": "rows", "expectations": rule}])
    conn = duckdb.connect()
    for digde, passes in ((best.digde, True), (pd.Series([0.5, 1.001]), False)):
        conn.register("scores", pd.DataFrame({"digde": digde}))
        conn.execute("create or replace table main.panel as select * from scores")
        assert run_suite(conn, suite).success is passes
