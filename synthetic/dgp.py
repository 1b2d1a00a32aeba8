"""The data-generating process of the synthetic default dataset.

Everything is deterministic given the seed. Latent digital economy D_it drives the 21
digital indicators; D also moves the three channels (foreign-trade dependence Ftrd up,
export concentration Dexp down, sophistication Expt up); latent resilience is

    R_it = mu_i + tau_t + beta_r(i) * D_it + 5 * Ftrd_it - 60 * Expt_it - 20 * Dexp_it + e_it

with beta = 1.2 (east, central) and 4.5 (west), so the direct effect is positive, Ftrd
and Dexp mediate positively (a*b > 0) and Expt works against the direct effect
(suppression). The resilience indicators load on R. See README "Default data".
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from stats.hs_families import hs_families, revision_for_year
from stats.indices import expy, hhi, prody
from synthetic.facts import ANCHORS_2020, PARTNERS, TRADE_MODES
from warehouse.seeds import correlation_seeds, hs_timetable, seed_frame

TRUE_EFFECTS = {"beta_east_central": 1.2, "beta_west": 4.5, "b_ftrd": 5.0, "b_expt": -60.0,
                "b_dexp": -20.0}
# indicator -> (low, span): ratio = (low + span * D) * noise
DIGITAL = {
    "de_broadband_pc": (0.08, 0.35), "de_internet_users_100": (35, 45),
    "de_base_station_density": (0.3, 6.0), "de_mobile_100": (70, 50),
    "de_cable_density": (0.2, 3.0), "de_software_gdp": (0.003, 0.08),
    "de_ict_emp_share": (0.004, 0.03), "de_telecom_pc": (400, 2500),
    "de_postal_pc": (60, 1200), "de_ecommerce_sales_gdp": (0.04, 0.5),
    "de_ecommerce_purchases_gdp": (0.02, 0.25), "de_ecommerce_firm_share": (4, 14),
    "de_computers_100": (15, 30), "de_websites_100": (40, 30), "de_rd_gdp": (0.004, 0.05),
    "de_rd_fte": (5, 60), "de_rd_institutions": (0.02, 0.05), "de_patents_10k": (2, 50),
    "de_new_product_gdp": (0.04, 0.25), "de_hightech_firms": (0.1, 2.5),
    "de_tech_contracts": (0.5, 12),
}


DIGITAL_INPUTS = ("broadband_ports", "internet_users", "mobile_base_stations", "mobile_subscribers",
                  "optical_cable", "software_revenue", "ict_employment", "telecom_volume",
                  "postal_volume", "ecommerce_sales", "ecommerce_purchases",
                  "ecommerce_firm_share", "computers_per_100", "websites_per_100",
                  "rd_expenditure", "rd_fte", "rd_institutions", "patents_granted",
                  "new_product_sales", "hightech_enterprises", "tech_contracts")
RESILIENCE_INPUTS = ("freight_volume", "pharma_enterprises", "pharma_revenue", "pharma_inventory",
                     "tech_market_turnover", "pharma_patent_applications")


def _seed(name):
    return seed_frame(name)


def _grid(provinces, years):
    return pd.MultiIndex.from_product([provinces["code"], years],
                                      names=["province_code", "year"]).to_frame(index=False)


def simulate(panel_years, seed: int = 20240601) -> dict:
    rng = np.random.default_rng(seed)
    provinces = _seed("ref_provinces")
    years = [panel_years[0] - 1, *panel_years]  # one base year for growth and lags
    P, T = len(provinces), len(years)
    t = np.arange(T)[None, :]
    yr = np.array(years)[None, :]
    anchors = np.array([ANCHORS_2020[c] for c in provinces["code"]])
    pop = anchors[:, [0]] * 1.004 ** (yr - 2020)                       # 10k persons
    gdppc = anchors[:, [1]] * 1.065 ** (yr - 2020) * np.exp(rng.normal(0, 0.01, (P, T)))
    gdp = gdppc * pop * 1e4 / 1e8                                       # 100 million yuan
    area = anchors[:, 2]
    rich = (np.log(anchors[:, 1]) - np.log(anchors[:, 1]).min()) / np.ptp(np.log(anchors[:, 1]))
    east = (provinces["region3"] == "east").to_numpy()
    west = (provinces["region3"] == "west").to_numpy()

    shock = np.zeros((P, T))
    for k in range(T):
        shock[:, k] = (0.5 * shock[:, k - 1] if k else 0) + rng.normal(0, 0.06, P)
    D = (0.08 + 0.35 * rich + rng.uniform(-0.04, 0.04, P))[:, None] \
        + rng.uniform(0.01, 0.06, P)[:, None] * t + shock

    inputs = {"population": pop, "gdp": gdp, "gdp_per_capita": np.round(gdppc),
              "employment": pop * 0.55 * np.exp(rng.normal(0, 0.02, (P, T)))}
    ratios = {k: (lo + span * D) * np.exp(rng.normal(0, 0.04, (P, T)))
              for k, (lo, span) in DIGITAL.items()}
    ratios["de_internet_users_100"] = np.minimum(ratios["de_internet_users_100"], 97)
    inputs.update(_digital_inputs(ratios, pop, gdp, area, inputs["employment"]))

    ftrd = 0.03 + (0.15 + 0.5 * east)[:, None] * D + rng.normal(0, 0.03, (P, T))
    ftrd = np.maximum(ftrd, 0.01)
    rates = _seed("ref_cny_per_usd").astype({"year": int, "cny_per_usd": float})
    missing = sorted(set(years) - set(rates["year"]))
    if missing:
        raise ValueError(f"no CNY/USD rate for {missing[0]} in "
                         "dbt_project/seeds/ref_cny_per_usd.csv (it holds "
                         f"{rates.year.min()}-{rates.year.max()})")
    rate = rates.set_index("year").loc[years, "cny_per_usd"].to_numpy()[None, :]
    inputs["trade_total"] = ftrd * gdp * 1e8 / rate / 1e3               # thousand USD

    family_values, members = _family_values(rng, provinces, years, D, gdp)
    channels = _channels(family_values, provinces, years, gdppc)
    dexp = channels["dexp"].to_numpy().reshape(P, T)
    expt = channels["expt"].to_numpy().reshape(P, T)

    beta = np.where(west, TRUE_EFFECTS["beta_west"], TRUE_EFFECTS["beta_east_central"])
    # The channels enter as deviations from their yearly mean: ln EXPY grows with every
    # province's income, and that common drift belongs to the year effects, not to R.
    year_dev = lambda a: a - a.mean(axis=0, keepdims=True)  # noqa: E731
    R = (0.5 * rich)[:, None] + 0.03 * t + beta[:, None] * D \
        + TRUE_EFFECTS["b_ftrd"] * ftrd + TRUE_EFFECTS["b_expt"] * year_dev(expt) \
        + TRUE_EFFECTS["b_dexp"] * year_dev(dexp) + rng.normal(0, 0.04, (P, T))
    R = R - R.min() + 0.5  # a level shift keeps every indicator positive
    inputs.update(_resilience_inputs(rng, R, gdp, pop))
    scaled = (R - R.min()) / np.ptp(R)  # partner counts rise linearly with R, within 4..34
    breadth = np.clip(np.round(4 + 30 * scaled + rng.normal(0, 1.5, (P, T))), 2, len(PARTNERS))
    # Rows get their own stream, so the controls drawn next do not depend on them.
    customs = _customs_rows(np.random.default_rng(seed + 2), family_values, members,
                            _grid(provinces, years).assign(n=breadth.reshape(-1))
                            .set_index(["province_code", "year"])["n"])
    inputs.update(_controls(rng, pop, gdp, area, rich, t))

    grid = _grid(provinces, years)
    long = pd.concat([grid.assign(indicator_code=k, value=v.reshape(-1))
                      for k, v in inputs.items()], ignore_index=True)
    static = pd.DataFrame({
        "province_code": np.repeat(provinces["code"].to_numpy(), 2),
        "year": np.tile([2013, 1984], P),
        "indicator_code": np.tile(["area", "post_telecom_1984"], P),
        "value": np.column_stack([area, anchors[:, 0] * (2 + 8 * rich)
                                  * rng.uniform(0.8, 1.2, P)]).reshape(-1),
    })
    latent = grid.assign(D=D.reshape(-1), R=R.reshape(-1), ftrd=ftrd.reshape(-1))
    return {"provinces": provinces, "years": years, "inputs": long, "static": static,
            "customs": customs, "latent": latent, "rates": rates}


def _digital_inputs(r, pop, gdp, area, employment):
    a = area[:, None]
    return {
        "broadband_ports": r["de_broadband_pc"] * pop,          # 10k ports
        "internet_users": r["de_internet_users_100"] / 100 * pop,
        "mobile_base_stations": r["de_base_station_density"] * a,  # 10k stations per 10k km2
        "mobile_subscribers": r["de_mobile_100"] / 100 * pop,
        "optical_cable": r["de_cable_density"] * a * 1e4,        # km
        "software_revenue": r["de_software_gdp"] * gdp * 1e4,    # 10k yuan
        "ict_employment": r["de_ict_emp_share"] * employment,
        "telecom_volume": r["de_telecom_pc"] * pop * 1e4 / 1e8,
        "postal_volume": r["de_postal_pc"] * pop * 1e4 / 1e8,
        "ecommerce_sales": r["de_ecommerce_sales_gdp"] * gdp,
        "ecommerce_purchases": r["de_ecommerce_purchases_gdp"] * gdp,
        "ecommerce_firm_share": r["de_ecommerce_firm_share"],
        "computers_per_100": r["de_computers_100"],
        "websites_per_100": r["de_websites_100"],
        "rd_expenditure": r["de_rd_gdp"] * gdp * 1e4,
        "rd_fte": np.round(r["de_rd_fte"] * pop),
        "rd_institutions": np.round(r["de_rd_institutions"] * pop),
        "patents_granted": np.round(r["de_patents_10k"] * pop),
        "new_product_sales": r["de_new_product_gdp"] * gdp * 1e4,
        "hightech_enterprises": np.round(r["de_hightech_firms"] * pop),
        "tech_contracts": np.round(r["de_tech_contracts"] * pop),
    }


def _resilience_inputs(rng, R, gdp, pop):
    """A time-invariant, size-driven base (absorbed by province effects) plus an additive
    response to R and small additive noise, so that within a province the indicators
    move with R. Freight is also a control, so it grows with GDP and barely with R."""
    def noisy(base, response, sd):
        return base[:, [-1]] + response * R + rng.normal(0, sd, R.shape)
    revenue = gdp * 0.02
    turnover = 3 + 1.0 * R + rng.normal(0, 0.05, R.shape)
    return {
        "freight_volume": gdp * 3 * np.exp(rng.normal(0, 0.02, R.shape)) + 300 * R,
        "pharma_enterprises": np.round(noisy(pop * 0.03, 150, 2)),
        "pharma_revenue": revenue, "pharma_inventory": revenue / turnover,
        "tech_market_turnover": noisy(gdp * 0.005, 100, 2),
        "pharma_patent_applications": np.round(noisy(pop * 0.03, 200, 2)),
    }


def _controls(rng, pop, gdp, area, rich, t):
    noise = lambda s: np.exp(rng.normal(0, s, gdp.shape))  # noqa: E731
    sample = pop * 1e4 * 0.001 * 0.95 * noise(0.02)          # 1 per mille sample, aged 6+
    college = (0.05 + 0.15 * rich[:, None] + 0.005 * t) * noise(0.05)
    senior, junior, none = 0.15 + 0 * t, 0.38 + 0 * t, 0.05 - 0.002 * t
    primary = 1 - college - senior - junior - none
    secondary = gdp * (0.45 - 0.1 * rich[:, None] - 0.006 * t) * noise(0.03)
    return {
        "pop6_none": np.round(sample * none), "pop6_primary": np.round(sample * primary),
        "pop6_junior": np.round(sample * junior), "pop6_senior": np.round(sample * senior),
        "pop6_college": np.round(sample * college),
        "highway_km": np.round(area[:, None] ** 0.6 * 4e4 * 1.02 ** t * noise(0.03)),
        "tertiary_va": gdp * (0.45 + 0.2 * rich[:, None] + 0.008 * t) * noise(0.03),
        "secondary_va": secondary, "industrial_va": secondary * 0.82 * noise(0.03),
        "gov_expenditure": gdp * (0.12 + 0.25 * (1 - rich[:, None]))
        * np.exp(rng.normal(0, 0.03, gdp.shape)),
    }


def revisions_of(years) -> dict[int, str]:
    """The HS revision of each year (the seeds' timetable); a year no revision in the
    seeds covers is an error naming it."""
    timetable = hs_timetable()
    out = {int(y): revision_for_year(int(y), timetable) for y in years}
    early = sorted(y for y, r in out.items() if r is None)
    if early:
        raise ValueError(f"no HS revision in the seeds for {early[0]}: the earliest is "
                         f"{timetable[0][0]} ({timetable[0][1]} on)")
    return out


def _families(years):
    """The product families over the revisions the years span (from the earliest on, as
    dbt's int_hs_basket_nodes builds them), the families the data use, their members."""
    used = set(revisions_of(years).values())
    timetable = hs_timetable()
    first = min(start for revision, start in timetable if revision in used)
    fam = hs_families(_seed("ref_hs6_healthcare_candidates"), correlation_seeds(),
                      [revision for revision, start in timetable if start >= first])
    ids = sorted(fam["family_id"].unique())
    multi = fam.groupby("family_id")["hs6"].nunique()
    chosen = sorted(set(multi[multi > 1].index[:10]) | set(ids[::5]))
    members = fam.groupby(["revision", "family_id"])["hs6"].apply(sorted).to_dict()
    return chosen, members


def _family_values(rng, provinces, years, D, gdp):
    """Healthcare exports by province, year and family: digital provinces spread their
    exports over more families (lower HHI) and tilt them to sophisticated ones."""
    chosen, members = _families(years)
    revision = revisions_of(years)
    soph = rng.uniform(0, 1, len(chosen))
    rows = []
    for i, code in enumerate(provinces["code"]):
        theta = rng.normal(0, 1, len(chosen))
        for k, year in enumerate(years):
            total = 2e7 * (gdp[i, k] / 1000) ** 0.9 * np.exp(0.6 * D[i, k] + rng.normal(0, 0.08))
            spread = 2.4 * np.exp(-4.0 * D[i, k] + rng.normal(0, 0.05))
            logw = spread * theta + (2.5 * D[i, k] + rng.normal(0, 0.5)) * soph \
                + rng.normal(0, 0.03, len(chosen))
            share = np.exp(logw) / np.exp(logw).sum()
            present = [members.get((revision[year], f)) is not None for f in chosen]
            rows += [(code, year, f, total * s) for f, s, ok in zip(chosen, share, present) if ok]
    values = pd.DataFrame(rows, columns=["province_code", "year", "family_id", "value_usd"])
    return values, members


def _customs_rows(rng, family_values, members, n_partners):
    """Spread family values over 8-digit codes, partners, months and trade modes."""
    rows = []
    revision = revisions_of(family_values["year"].unique())
    for (code, year), group in family_values.groupby(["province_code", "year"], sort=True):
        partners = [str(p) for p in np.random.default_rng(int(code)).permutation(PARTNERS)]
        n_p, cursor = int(n_partners[(code, year)]), 0
        for f, value in zip(group["family_id"], group["value_usd"]):
            codes = members[(revision[year], f)]
            for hs6, w in zip(codes, rng.dirichlet(np.ones(len(codes)))):
                suffixes = ("10", "90") if hs6 < "300400" else ("00",)
                for suffix in suffixes:
                    k_p = min(int(rng.integers(1, 4)), n_p)
                    for j in range(k_p):
                        months = rng.choice(np.arange(1, 13), int(rng.integers(1, 3)), False)
                        for m in months:
                            rows.append((year, int(m), code, hs6 + suffix,
                                         partners[(cursor + j) % n_p],
                                         TRADE_MODES[int(rng.integers(0, 3))],
                                         value * w / (k_p * len(months) * len(suffixes)), f))
                    cursor += k_p
    out = pd.DataFrame(rows, columns=["year", "month", "province_code", "hs_code", "partner",
                                      "trade_mode", "value_usd", "family_id"])
    out["value_usd"] = out["value_usd"].round(0).clip(lower=1)
    return out


def _channels(fam_x, provinces, years, gdppc):
    dexp = hhi(fam_x, group=["province_code", "year"], value="value_usd").rename("dexp")
    income = _grid(provinces, years).assign(income=gdppc.reshape(-1))
    pr = prody(fam_x, income, exporter="province_code", product="family_id", year="year",
               value="value_usd")
    ex = expy(fam_x, pr, exporter="province_code", product="family_id", year="year",
              value="value_usd")
    out = _grid(provinces, years).set_index(["province_code", "year"])
    out["dexp"], out["expt"] = dexp, np.log(ex)
    return out.reset_index()
