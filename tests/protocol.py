"""A visitor that speaks Streamlit's WebSocket protocol as a browser does, without the browser: for tests of a
real server (tests/test_own_visit.py) and the benchmarks (scripts/bench_app.py --first-script)."""
from __future__ import annotations

import time


def visit(url: str, headers: dict | None = None) -> tuple[bool, float]:
    """A new visitor opening / until its script run has finished: (finished successfully, seconds from the first
    message to the end of the run)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    host = url.removeprefix("http://")
    with connect(f"ws://{host}/_stcore/stream", subprotocols=["streamlit"], origin=url,
                 additional_headers=headers or {}, max_size=None) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        t0 = time.perf_counter()
        ws.send(msg.SerializeToString())
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(ws.recv(timeout=120))
            if fwd.WhichOneof("type") == "script_finished" and \
                    fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return fwd.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY, time.perf_counter() - t0
