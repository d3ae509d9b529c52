"""Values that came from a user, shown back to them: the one way to echo them.

A URL parameter, a search term, an uploaded file's name or a cell of an uploaded file may hold
markdown (`[x](https://evil.example/login)`, `![x](https://evil.example/p.png)`), a bare URL
that markdown would turn into a link, Streamlit's `:red[...]` / `:material/...:` directives,
LaTeX or new lines. Streamlit renders the text of st.info, st.warning, st.error, st.caption,
st.markdown, titles and button labels as markdown, so such a value could put a live link or an
outside image inside the app's own notice. `inert()` makes it plain text and cuts it to a sane
length; use it for every user-originated value that goes into any of those.
"""
from __future__ import annotations

import re

LIMIT = 60  # characters shown of an echoed value; the rest is cut (with an ellipsis)
ELLIPSIS = "…"
# CommonMark lets a backslash escape every ASCII punctuation character; escaping them all leaves
# no link, image, emphasis, code, HTML, directive or math.
_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# Streamlit's markdown (remark-gfm) also turns bare URLs, www. names and e-mail addresses into links
# after escapes are resolved, so those are broken up by an invisible zero-width space instead.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?=@)", re.IGNORECASE)
_WEB_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)", re.IGNORECASE)
ZWSP = "\u200b"


def cut(value: object, limit: int = LIMIT) -> str:
    """`value` as one line of printable text of at most `limit` characters."""
    s = " ".join("".join(ch if ch.isprintable() else " " for ch in str(value)).split())
    return s if len(s) <= limit else s[: max(limit - 1, 0)] + ELLIPSIS


def inert(value: object, limit: int = LIMIT) -> str:
    """`value` cut to `limit` characters and escaped so that markdown shows it as plain text."""
    text = _AUTOLINK.sub(ZWSP, cut(value, limit))
    return "".join("\\" + ch if ch in _PUNCTUATION else ch for ch in text)


def identity(value: object, limit: int = 120) -> str:
    """A signed-in person's name or e-mail from the identity provider, as plain text. Like inert()
    but an e-mail address stays whole: markdown may make it a mailto link to that address, which is
    harmless, and the person sees (and can copy) the address exactly. Web addresses are broken up."""
    text = _WEB_AUTOLINK.sub(ZWSP, cut(value, limit))
    return "".join("\\" + ch if ch in _PUNCTUATION else ch for ch in text)

