"""The lightest app of the real-site corpus, in every CI run: Trac with TracAccountManager, from PyPI.

scripts/realsites.sh runs the whole corpus on demand (Redmine and Mailman too); here the corpus runner
itself is run as a user runs it, and every journey must pass as Trac really works: the address confirmed
from the sign-up mail's link, a log-in with the password Trac makes up and mails, the new password it
then forces, the account deleted. A check that differs from the truth in realsites/trac/expected.yaml
(and from what journeytest is known to say today) fails the run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_trac_journeys_pass_as_trac_works_and_the_verdicts_are_known(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "realsites" / "run.py"), "trac", "--output", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=1200,
        cwd=ROOT,
        env={**os.environ, "REALSITE_STATE_ROOT": str(tmp_path / "state")},
    )
    print(done.stdout)
    table = json.loads((tmp_path / "trac" / "table.json").read_text())
    journeys = {row["name"]: row for row in table if row["kind"] == "journey"}
    assert {name: row["actual"] for name, row in journeys.items()} == {
        "sign_up": "passed",
        "login": "passed",
        "reset_password": "passed",
        "delete_account": "passed",
    }
    assert not [row for row in table if row["status"] == "DIFFERS"], done.stdout[-4000:]
    assert done.returncode == 0, done.stderr[-3000:]
    # the captured temporary password never reaches the output
    assert "{captured.temp_password}" in (tmp_path / "trac" / "results.jsonl").read_text()
