"""Two runs sharing one output folder lose nothing: the second writes its own results file and says so."""

from __future__ import annotations

import json
import subprocess
import sys

JOURNEYS = "".join(
    f"  look_{n}: {{kind: other, steps: [{{goto: /index.html}}, {{wait: 300ms}}, {{expect: {{text: Effort Shop}}}}]}}\n"
    for n in range(6)
)
SCENARIO = "site: {name: Effort Shop, base_url: 'URL'}\nchecks: false\njourneys:\n" + JOURNEYS


def test_two_runs_in_one_folder_each_keep_every_result(tmp_path, site_url):
    (tmp_path / "shop.journey.yaml").write_text(SCENARIO.replace("URL", site_url))
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--history", "none", "-n", "0", "-q"]
    runs = [subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    files = sorted((tmp_path / "journeytest-results").glob("results*.jsonl"))
    assert len(files) == 2, files
    for path in files:
        lines = [json.loads(line) for line in path.read_text().splitlines()]
        assert [line["type"] for line in lines].count("run") == 1
        assert len({line["run_id"] for line in lines}) == 1
        assert sum(line["type"] == "journey" for line in lines) == 6
        assert lines[-1]["type"] == "run_end"
    assert sum("another run was writing" in output for output in outputs) == 1
