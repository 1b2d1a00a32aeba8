from warehouse.seeds import seed_frame
from stats.hs_families import hs_families, revision_for_year


def seed(name):
    return seed_frame(name)


def families(groups=("pharma", "api", "meddev")):
    return hs_families(seed("ref_hs6_healthcare_candidates"), seed("ref_hs_correlation_2012_2017"),
                       seed("ref_hs_correlation_2017_2022"), groups)


def test_revision_timetable():
    assert [revision_for_year(y) for y in (2012, 2016, 2017, 2021, 2022, 2023)] == \
        ["HS2012", "HS2012", "HS2017", "HS2017", "HS2022", "HS2022"]


def test_split_and_renaming_become_one_family_each():
    fam = families().set_index(["revision", "hs6"])["family_id"]
    split = [fam[("HS2012", "300210")], fam[("HS2017", "300211")], fam[("HS2017", "300215")],
             fam[("HS2022", "300212")]]
    assert set(split) == {"300210"}
    assert fam[("HS2017", "300220")] == fam[("HS2022", "300241")]       # vaccines renamed
    assert fam[("HS2012", "300120")] == fam[("HS2022", "300120")]       # unchanged code


def test_codes_that_leave_the_basket_are_not_in_the_later_revision():
    fam = families()
    assert not ((fam.revision == "HS2022") & fam.hs6.isin(["300211", "300219", "300620"])).any()
    assert ((fam.revision == "HS2017") & (fam.hs6 == "300211")).any()


def test_optional_groups_are_off_by_default():
    assert "401511" not in set(families().hs6)
    assert "401511" in set(families(("consumables_diag",)).hs6)
    assert set(families(("tcm",)).hs6) >= {"121120", "121190"}
