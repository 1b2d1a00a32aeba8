from stats.hs_families import hs_families, revision_for_year
from warehouse.seeds import correlation_seeds, hs_timetable, seed_frame

FROM_2012 = ("HS2012", "HS2017", "HS2022")


def seed(name):
    return seed_frame(name)


def families(groups=("pharma", "api", "meddev"), revisions=FROM_2012):
    return hs_families(seed("ref_hs6_healthcare_candidates"), correlation_seeds(), revisions,
                       groups)


def test_revision_timetable():
    timetable = hs_timetable()
    assert [revision_for_year(y, timetable) for y in (2001, 2002, 2006, 2007, 2011, 2012, 2016,
                                                       2017, 2021, 2022, 2023)] == \
        [None, "HS2002", "HS2002", "HS2007", "HS2007", "HS2012", "HS2012", "HS2017", "HS2017",
         "HS2022", "HS2022"]
    assert hs_timetable(pending=True) == [("HS2027", 2027)]


def test_older_revisions_join_families_only_when_they_are_built():
    """HS2002 and HS2007 codes join the family their UN links lead to; a code deleted
    without a link keeps a family of its own. An HS2007 code split in 2012 (293949 into
    293944 and 293949) ties two families of 2012 on together, so they are one family only
    when HS2007 is built: a build of 2012 on keeps them apart, as before."""
    fam = families(revisions=None).set_index(["revision", "hs6"])["family_id"]
    assert set(fam.index.get_level_values(0)) == {"HS2002", "HS2007", "HS2012", "HS2017",
                                                  "HS2022"}
    assert fam[("HS2002", "300680")] == fam[("HS2007", "300692")] == fam[("HS2012", "300692")]
    assert fam[("HS2007", "293731")] == "293731"                 # deleted in HS2012, no link
    assert fam[("HS2002", "300120")] == fam[("HS2022", "300120")]  # unchanged since 2002
    assert fam[("HS2012", "293944")] == fam[("HS2012", "293949")]
    later = families().set_index(["revision", "hs6"])["family_id"]
    assert later[("HS2012", "293944")] != later[("HS2012", "293949")]
    assert "HS2007" not in set(later.index.get_level_values(0))


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
