"""Indices and estimators as plain functions on pandas DataFrames."""
from stats.fe import fe_ols
from stats.indices import entropy_index, expy, hhi, pca_index, prody
from stats.results import EstimationResult, TestStatistic

__all__ = ["fe_ols", "entropy_index", "expy", "hhi", "pca_index", "prody",
           "EstimationResult", "TestStatistic"]
