"""`barometer explore` keeps Voilà's own (English) log out of the terminal unless --verbose: one
Swedish line when ready, naming the log file; the time is counted from the command's start."""

import os
import re
import subprocess
import sys
import time

from barometer.app.testing import free_port


def test_explore_shows_one_swedish_ready_line_and_logs_voila_to_a_file(tmp_path):
    port = free_port()
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path))
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    with open(out, "w") as fo, open(err, "w") as fe:
        proc = subprocess.Popen([sys.executable, "-m", "barometer", "explore", "--no-browser", "--no-preheat",
                                 "--port", str(port)], stdout=fo, stderr=fe, env=env, start_new_session=True)
        try:
            for _ in range(240):
                if "Utforskaren:" in out.read_text() or proc.poll() is not None:
                    break
                time.sleep(0.5)
        finally:
            proc.terminate()
            proc.wait(timeout=60)
    text = out.read_text() + err.read_text()
    ready = [line for line in text.splitlines() if line.startswith("Utforskaren:")]
    assert len(ready) == 1, text
    log = tmp_path / f"barometer-explore-{port}.log"
    assert re.search(r"\(klar efter \d+ s; logg: " + re.escape(str(log)), ready[0])
    for english in ("Voilà is running", "[Voila]", "not trusted", "without encryption"):
        assert english not in text
    assert "Voilà is running at" in log.read_text(encoding="utf-8")
    assert set(text.splitlines()) <= {ready[0], "Startar utforskaren …"}, text
