"""Ringkasan: national or scoped progress against the target."""
from desasadar.ui.guard import through_entrypoint

through_entrypoint()

import streamlit as st  # noqa: E402

from desasadar.ui.context import context  # noqa: E402

ctx = context()
st.title(ctx.t("nav.ringkasan"))
