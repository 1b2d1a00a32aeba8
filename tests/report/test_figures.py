"""What the report's figures show (checked on the matplotlib figures themselves)."""
import matplotlib.pyplot as plt
import pandas as pd

from report.figures import flagged_figure, ranking_figure


def test_labels_of_bars_below_zero_sit_left_of_their_bars_inside_the_axes():
    panel = pd.DataFrame({"year": 2022, "province_name_en": ["Jilin", "Hubei", "Jiangsu"],
                          "revl": [-1.2, -0.05, 5.3], "digde": [0.4, 0.46, 0.99]})
    fig = ranking_figure(panel)
    ax = fig.axes[0]
    labels = {t.get_text().strip(): (t.get_position()[0], t.get_ha()) for t in ax.texts}
    assert labels["Digde 0.40"] == (-1.2, "right") and labels["Digde 0.99"] == (5.3, "left")
    fig.canvas.draw()
    left = ax.get_window_extent().x0
    assert all(t.get_window_extent().x0 >= left for t in ax.texts)  # not over the names
    plt.close(fig)


def test_flagged_series_are_titled_by_province_name():
    values = pd.DataFrame({"indicator": "optical_cable", "province_code": "460000",
                           "year": [2012, 2013, 2014], "value": [1.0, 9.0, 10.0]})
    flags = pd.DataFrame({"indicator": ["optical_cable"], "province_code": ["460000"],
                          "year": [2013], "kind": ["jump"]})
    fig = flagged_figure(values, flags, {"460000": "Hainan"})
    assert fig.axes[0].get_title() == "optical_cable, Hainan"
    plt.close(fig)
