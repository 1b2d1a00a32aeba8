"""Indices and estimators as plain functions on pandas DataFrames."""
from stats.fe import fe_ols
from stats.gmm import dynamic_panel_gmm
from stats.gmm_design import GmmInstruments, IvInstruments
from stats.indices import entropy_index, expy, hhi, pca_index, prody
from stats.iv import fe_iv
from stats.mediation import MediationResult, mediate
from stats.results import EstimationResult, TestStatistic

__all__ = ["fe_ols", "fe_iv", "dynamic_panel_gmm", "GmmInstruments", "IvInstruments", "mediate", "MediationResult", "entropy_index", "expy", "hhi", "pca_index", "prody",
           "EstimationResult", "TestStatistic"]
