"""Any customs year a researcher holds: partitions follow the landing folders, and a year
whose HS revision the seeds cannot map is refused with what to extend."""
import pytest

from ingest.customs.load_year import load_customs_year
from ingest.reference import UnsupportedRevision
from tests.ingest.helpers import write

HEADER = "数据年月,注册地名称,商品编码,美元\n"


@pytest.mark.parametrize("year, words", [
    (2001, ["customs 2001", "from HS2002 (2002) on", "HS1996", "in_HS1996",
            "ref_hs6_healthcare_candidates.csv", "dbt_project.yml"]),
    (2027, ["customs 2027", "China applies HS2027 from 2027", "the last is HS2022",
            "in_HS2027", "ref_hs_correlation_<year>_<year>.csv"]),
])
def test_a_year_the_seeds_cannot_map_is_refused_naming_the_revision(env, year, words):
    paths, conn = env
    write(paths.customs / str(year) / "a.csv", HEADER + f"{year}03,浙江省,30049090,12\n")
    with pytest.raises(UnsupportedRevision) as refused:
        load_customs_year(conn, paths, year)
    assert all(w in str(refused.value) for w in words), str(refused.value)
    assert conn.execute("select count(*) from raw.loaded_files").fetchone()[0] == 0


def test_years_of_hs2002_and_hs2007_load(env):
    paths, conn = env
    for year, code in ((2003, "30049090"), (2009, "29373100")):
        write(paths.customs / str(year) / "a.csv", HEADER + f"{year}03,浙江省,{code},12\n")
        assert load_customs_year(conn, paths, year).rows == 1


def test_partitions_start_at_the_earliest_landing_year(tmp_path):
    from orchestration.partitions import customs_years_partitions
    from warehouse.paths import DataPaths
    paths = DataPaths.from_dir(tmp_path).ensure()
    for year in (2004, 2012):
        (paths.customs / str(year)).mkdir(parents=True)
    keys = customs_years_partitions(paths).get_partition_keys()
    assert keys[0] == "2004" and "2012" in keys and "2003" not in keys
