"""The one scalar helper: a cell of a frame as a plain Python value (for XLSX cells, briefs, JSON)."""
from __future__ import annotations

import numpy as np
import pandas as pd


def plain(value):
    """None for a missing value (None, NA, NaT, NaN), numpy scalars as Python ones, a Timestamp as a datetime."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value
