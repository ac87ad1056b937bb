"""Second pass over a module's survivors: each is applied again, alone, and run against the wider
tests of the config's [survivors] table (say, the whole issues suite). A survivor killed there is
pinned, only not by the module's own tests; one that survives there too is pinned by no test.
Usage (from the repository root, after the module's cosmic-ray session): python mutation/survivors.py NAME
"""

import json
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import TestOutcome
from report import changed_line, equivalent_reason, source_line

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "mutation"


def main(name: str) -> None:
    config = tomllib.loads((ROOT / "mutation" / f"{name}.toml").read_text())
    wider = config.get("survivors", {}).get("test-command")
    if not wider:
        return
    timeout = float(config["cosmic-ray"]["timeout"]) * 4
    with use_db(str(WORK / f"{name}.sqlite"), WorkDB.Mode.open) as db:
        done = [(item, result) for item, result in db.completed_work_items]
    # An equivalent mutant survives every test by definition: no need to spend a wider run on it.
    equivalents = config.get("equivalent", [])
    survivors = [
        item
        for item, result in done
        if result.test_outcome == TestOutcome.SURVIVED
        and not equivalent_reason(
            equivalents,
            item.mutations[0].operator_name.removeprefix("core/"),
            source_line(name, item.mutations[0].module_path, item.mutations[0].start_pos[0]),
            changed_line(result.diff),
        )
    ]
    outcomes = {}
    for item in survivors:
        (mutation,) = item.mutations
        tree = WORK / f"tree-{name}"
        source = tree / mutation.module_path
        pristine = source.read_bytes()
        try:
            subprocess.run(
                [
                    ROOT / ".venv/bin/cosmic-ray",
                    "apply",
                    str(mutation.module_path),
                    mutation.operator_name,
                    str(mutation.occurrence),
                ],
                cwd=tree,
                check=True,
                capture_output=True,
            )
            try:
                run = subprocess.run(shlex.split(wider), cwd=tree, capture_output=True, timeout=timeout)
                outcomes[item.job_id] = "survived" if run.returncode == 0 else "killed"
            except subprocess.TimeoutExpired:
                outcomes[item.job_id] = "killed"
        finally:
            source.write_bytes(pristine)
            shutil.rmtree(source.parent / "__pycache__", ignore_errors=True)
        print(
            f"{name}: {mutation.operator_name} #{mutation.occurrence} at line {mutation.start_pos[0]}: "
            f"{outcomes[item.job_id]} by {wider}"
        )
    (WORK / f"{name}.wider.json").write_text(json.dumps({"command": wider, "outcomes": outcomes}, indent=1))


if __name__ == "__main__":
    main(sys.argv[1])
