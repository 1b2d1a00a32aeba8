"""The registry of study tables: what the assets fit, the store keeps and the report draws."""
import pandas as pd
import pytest

from report.writer import _grid
from study.registry import FITS, LAYOUTS, TABLES, table_spec
from study.rows import table_rows
from study.tables import skipped


def test_every_table_is_named_once_with_a_known_fit_and_layout():
    assert [t.table_id for t in TABLES] == ["table3", "table4", "table4b", *(f"table{i}" for i in range(5, 11))]
    assert len({t.asset for t in TABLES}) == len(TABLES)
    assert all(t.fit in FITS and t.layout in LAYOUTS and t.asset.startswith(t.table_id + "_")
               for t in TABLES)
    with pytest.raises(KeyError, match="no study table 'table11'"):
        table_spec("table11")


def test_a_skipped_table_keeps_its_place_with_the_reason():
    estimates, stats, columns = table_rows(skipped("table5", "9 instruments for 10 parameters"))
    assert estimates.empty
    assert stats.to_dict("records") == [{"table_id": "table5", "model_id": "table",
                                         "stat": "skipped", "value": 1.0}]
    assert columns.label.tolist() == ["not estimated: 9 instruments for 10 parameters"]
    assert columns.title[0].startswith("System GMM")
    grid = _grid(table_spec("table5"), columns, estimates, stats)
    assert grid.iloc[:, 0].tolist() == ["not estimated: 9 instruments for 10 parameters"]


def test_a_skipped_model_is_stored_like_a_skipped_table_and_drawn_as_a_note():
    """Table 10 on a panel whose west has too few provinces: the other columns are fitted,
    the west column is one `skipped` row and a note under the table, stored the same way
    as a whole skipped table."""
    from study import tables
    panel = _toy_panel()
    table = tables.table10(panel)
    assert "west" in table.skipped and [c for c, _ in table.columns] == ["east_central",
                                                                         "pre_2015", "post_2015"]
    estimates, stats, columns = table_rows(table)
    assert stats[stats.stat == "skipped"].model_id.tolist() == ["west"]
    assert columns.label.iloc[-1].startswith("not estimated: West")
    grid = _grid(table_spec("table10"), columns, estimates, stats)
    assert list(grid.columns) == ["East and central", "Before 2015", "2015 on"]
    assert grid.index[-1].startswith("not estimated: West")


def _toy_panel() -> pd.DataFrame:
    """Eight provinces over ten years, one of them in the west (a west split of one
    province cannot absorb province effects and cluster)."""
    import numpy as np
    rng = np.random.default_rng(0)
    rows = []
    for i in range(8):
        for year in range(2009, 2019):
            row = {"province_code": f"{110000 + i * 10000}", "year": year,
                   "region3": "west" if i == 0 else ("east" if i < 4 else "central"),
                   "post_2015": year >= 2015, "digde": rng.normal(), "revl": rng.normal()}
            row.update({c: rng.normal() for c in ("hc", "inft_road", "inft_freight", "labor",
                                                   "inds", "gov", "indu")})
            rows.append(row)
    return pd.DataFrame(rows)
