"""The one chart renderer: draw a builder from desasadar.charts, themed, caching the finished Vega-Lite spec.

Building and validating Altair objects costs 15-70 ms a chart; a filter change that returns
to a view seen before must not pay it again. The cache key is the builder and its arguments
(frames hashed by content), so a changed input always gives a new spec. The spec's datasets are
kept as Arrow bytes, the form Streamlit sends them in, so a rerun does not convert them again
(that conversion was a fifth of a warm Ringkasan rerun)."""
from __future__ import annotations

import importlib
from typing import Callable

import pandas as pd
import streamlit as st
from streamlit import dataframe_util

from .. import frame_memo
from ..charts import theme


# cache_resource: one shared spec, not a copy per rerun; st.vega_lite_chart copies the top level
# before changing it and only reads the datasets.
# Frames are keyed by frame_memo.digest: a query result shared by every rerun is hashed once.
@st.cache_resource(max_entries=512, ttl=6 * 3600, show_spinner=False, hash_funcs={pd.DataFrame: frame_memo.digest})
def _spec(module: str, name: str, args: tuple, kwargs: dict, lang: str) -> dict:
    if not module.startswith("desasadar.charts."):
        raise ValueError(module)
    chart = getattr(importlib.import_module(module), name)(*args, **kwargs)
    if chart is None:
        return {}
    spec = theme.base(chart, lang).to_dict(validate=False)
    if "datasets" in spec:
        spec["datasets"] = {name: dataframe_util.convert_anything_to_arrow_bytes(rows)
                            for name, rows in spec["datasets"].items()}
    return spec


def show(builder: Callable, *args, lang: str, width="stretch", **kwargs) -> bool:
    """Draw builder(*args, **kwargs) in the theme for `lang`; the builder sets the alt text (desasadar.charts).
    Returns False when the builder had nothing to draw."""
    spec = _spec(builder.__module__, builder.__name__, args, kwargs, lang)
    if not spec:
        return False
    st.vega_lite_chart(spec, width=width)
    return True
