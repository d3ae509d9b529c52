"""python tests/serve_noting_compiles.py LOG [streamlit run options]: desasadar.serve (as scripts/start.sh runs it),
noting the path of every script Streamlit compiles in LOG, one a line (tests/test_script_cache.py)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from streamlit.runtime.scriptrunner import magic, script_cache  # noqa: E402

from desasadar import serve  # noqa: E402

log = Path(sys.argv.pop(1))
add_magic = magic.add_magic


def noting(body: str, path: str):  # every compile of a script goes through the magic pass (magicEnabled)
    with log.open("a") as f:
        f.write(path + "\n")
    return add_magic(body, path)


script_cache.magic.add_magic = noting

if __name__ == "__main__":
    sys.exit(serve.main())
