"""Accessibility glue for what Streamlit offers no setting for, done with small fixed scripts.

- The document language: Streamlit serves every page as <html lang="en">, so a screen reader would read
  Indonesian with English pronunciation.
- st.metric sparklines (chart_data) are announced only as "Vega visualization": each gets the trend in words.
- Row selection in st.dataframe takes Shift+Space, which nobody guesses: inside a container made by
  enter_selects(), Enter on a row does the same.
- st.file_uploader writes "Upload" and "50MB per file" in English: uploader_words() gives its own.

The scripts are constant text; the only data they carry (labels and alt texts of the project's own
locale, with numbers) is JSON-encoded with '<' escaped, so nothing can close the script tag.
"""
from __future__ import annotations

import json
from contextlib import contextmanager

import streamlit as st

ENTER_KEY = "dsjs-enter"  # prefix of the keys of containers whose tables select a row on Enter

_SCRIPT = """<script>
(() => {
  document.documentElement.lang = %(lang)s;
  window.__dsjsSparkAlts = window.__dsjsSparkAlts || {};
  const label = window.__dsjsLabel = () => {
    for (const m of document.querySelectorAll('[data-testid="stMetric"]')) {
      const chart = m.querySelector('[data-testid="stMetricChart"]');
      const name = m.querySelector('[data-testid="stMetricLabel"]')?.innerText.trim();
      const alt = chart && window.__dsjsSparkAlts[name];
      if (!alt) continue;
      if (chart.getAttribute('aria-label') !== alt) {
        chart.setAttribute('role', 'img');
        chart.setAttribute('aria-label', alt);
        chart.removeAttribute('aria-roledescription');
      }
      for (const g of chart.querySelectorAll(':scope > svg, :scope > canvas')) {
        if (g.getAttribute('aria-hidden') !== 'true') g.setAttribute('aria-hidden', 'true');
      }
    }
  };
  // Streamlit's file uploader says "Upload" and "50MB per file" in English: the page's own words instead
  window.__dsjsUploaders = window.__dsjsUploaders || {};
  const uploaders = window.__dsjsUploaders;
  const relabel = window.__dsjsRelabel = () => {
    for (const z of document.querySelectorAll('[data-testid="stFileUploaderDropzone"]')) {
      const words = uploaders[z.getAttribute('aria-label')];
      if (!words) continue;
      const b = z.querySelector('button [data-testid="stMarkdownContainer"] p');
      if (b && b.textContent !== words[0]) b.textContent = words[0];
      const n = z.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] span');
      if (n && n.textContent !== words[1]) n.textContent = words[1];
    }
  };
  label();
  relabel();
  if (window.__dsjsA11y) return;  // listeners once per browser tab
  window.__dsjsA11y = true;
  let queued = false;
  new MutationObserver(() => {
    if (!queued) { queued = true; setTimeout(() => { queued = false; label(); window.__dsjsRelabel(); }, 50); }
  }).observe(document.body, {childList: true, subtree: true, attributes: true,
                               attributeFilter: ['aria-label', 'role']});
  document.addEventListener('keydown', (e) => {
    const grid = e.target;
    if (e.key !== 'Enter' || e.shiftKey || e.ctrlKey || e.altKey || e.metaKey || e.isComposing) return;
    if (!(grid instanceof HTMLCanvasElement) || !grid.closest('[class*="st-key-%(enter)s"]')) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    for (const type of ['keydown', 'keyup']) {
      grid.dispatchEvent(new KeyboardEvent(type, {key: ' ', code: 'Space', keyCode: 32, which: 32, shiftKey: true,
                                                   bubbles: true, cancelable: true}));
    }
  }, true);
})();
</script>"""


def _js(value) -> str:
    return json.dumps(value, ensure_ascii=True).replace("<", "\\u003c")


def page_scripts(lang: str) -> None:
    """Set the document language; install the sparkline labelling and Enter-selects-row handlers.
    Drawn in the sidebar (no room taken on the page); it runs again whenever the language changes."""
    if lang not in ("id", "en"):
        raise ValueError(lang)
    st.sidebar.html(_SCRIPT % {"lang": _js(lang), "enter": ENTER_KEY}, unsafe_allow_javascript=True)


def sparkline_alts(alts: dict[str, str]) -> None:
    """Text alternatives for this page's st.metric sparklines: {metric label: the trend in words}.
    Kept by label, so it holds however and wherever the cards are drawn; a card without a chart is left alone."""
    st.sidebar.html(f"<script>window.__dsjsSparkAlts = {_js(alts)}; window.__dsjsLabel && window.__dsjsLabel();"
                    "</script>", unsafe_allow_javascript=True)


def uploader_words(label: str, button: str, note: str) -> None:
    """The button and the size/type note of the file uploader labelled `label`, in the page's language
    (Streamlit writes them in English and offers no setting)."""
    st.sidebar.html(f"<script>(window.__dsjsUploaders = window.__dsjsUploaders || {{}})[{_js(label)}] = "
                    f"{_js([button, note])}; window.__dsjsRelabel && window.__dsjsRelabel();</script>",
                    unsafe_allow_javascript=True)


@contextmanager
def enter_selects(key: str):
    """A container in which Enter on a table row selects it (as Shift+Space does)."""
    with st.container(key=f"{ENTER_KEY}-{key}"):
        yield
