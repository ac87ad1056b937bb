"""Score per module of the last `make mutation` run, and its surviving mutants.

A survivor that mutation/<name>.toml lists under [[equivalent]] (same operator, same source line) is
set aside: the score "without equivalents" leaves it out of the count. Every other survivor is a rule
no test pins yet. Usage: python mutation/report.py [name ...] (default: every module with a session).
"""

import json
import sys
import tomllib
from pathlib import Path

from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import TestOutcome

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "mutation"


def source_line(name: str, module_path: Path, number: int) -> str:
    # The copy the mutants were run in: the line numbers are those of that run's sources.
    return (WORK / f"tree-{name}" / module_path).read_text().splitlines()[number - 1].strip()


def equivalent_reason(equivalents: list[dict], operator: str, line: str, mutant: str) -> str | None:
    """The reason a config's [[equivalent]] entry gives for this survivor, if one matches: same
    operator, same source line and, where the entry gives one (two mutants of one operator on one
    line), the same mutated line."""
    return next(
        (
            e["reason"]
            for e in equivalents
            if e["operator"] == operator and e["line"] == line and e.get("mutant", mutant) == mutant
        ),
        None,
    )


def changed_line(diff: str | None) -> str:
    added = [row[1:].strip() for row in (diff or "").splitlines() if row.startswith("+") and not row.startswith("+++")]
    return " / ".join(added)


def report(name: str) -> dict:
    config = tomllib.loads((ROOT / "mutation" / f"{name}.toml").read_text())
    equivalents = config.get("equivalent", [])
    counts = {"total": 0, "killed": 0, "survived": 0, "timeout": 0, "incompetent": 0, "pending": 0}
    survivors = []
    wider_file = WORK / f"{name}.wider.json"
    wider = json.loads(wider_file.read_text()) if wider_file.exists() else {"command": None, "outcomes": {}}
    with use_db(str(WORK / f"{name}.sqlite"), WorkDB.Mode.open) as db:
        counts["total"] = db.num_work_items
        for item, result in db.completed_work_items:
            if result.test_outcome == TestOutcome.KILLED and result.output == "timeout":
                counts["timeout"] += 1  # a mutant that made the tests hang past the config's timeout
            elif result.test_outcome == TestOutcome.SURVIVED:
                counts["survived"] += 1
                (mutation,) = item.mutations
                original = source_line(name, mutation.module_path, mutation.start_pos[0])
                operator = mutation.operator_name.removeprefix("core/")
                reason = equivalent_reason(equivalents, operator, original, changed_line(result.diff))
                survivors.append(
                    {
                        "line": mutation.start_pos[0],
                        "operator": operator,
                        "original": original,
                        "mutant": changed_line(result.diff),
                        "equivalent": reason,
                        "wider": wider["outcomes"].get(item.job_id),
                    }
                )
            elif result.test_outcome == TestOutcome.INCOMPETENT:
                counts["incompetent"] += 1
            else:
                counts["killed"] += 1
        counts["pending"] = counts["total"] - db.num_results
    run = counts["total"] - counts["pending"]
    equivalent = sum(1 for s in survivors if s["equivalent"])
    # Incompetent mutants (code that cannot even be imported) and timeouts count as killed: the
    # tests did not pass with them.
    counts["score"] = 100 * (run - counts["survived"]) / run if run else 0.0
    counts["score_without_equivalents"] = (
        100 * (run - counts["survived"]) / (run - equivalent) if run - equivalent else 100.0
    )
    counts["equivalent"] = equivalent
    counts["pinned_nowhere"] = sum(1 for s in survivors if not s["equivalent"] and s["wider"] != "killed")
    counts["wider_command"] = wider["command"]
    counts["survivors"] = sorted(survivors, key=lambda s: (s["line"], s["operator"]))
    seconds = WORK / f"{name}.seconds"
    counts["time"] = seconds.read_text().split(": ")[1].strip() if seconds.exists() else "?"
    return counts


def main(names: list[str]) -> None:
    names = names or sorted(p.stem for p in WORK.glob("*.sqlite"))
    results = {name: report(name) for name in names}
    print()
    print("| module | mutants | killed | survived | equivalent | score | without equivalents | open | time |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, r in results.items():
        killed = r["killed"] + r["timeout"] + r["incompetent"]
        pending = f" ({r['pending']} not run)" if r["pending"] else ""
        print(
            f"| {name} | {r['total']}{pending} | {killed} | {r['survived']} | {r['equivalent']} | "
            f"{r['score']:.1f}% | {r['score_without_equivalents']:.1f}% | {r['pinned_nowhere']} | {r['time']} |"
        )
    for name, r in results.items():
        if not r["survivors"]:
            continue
        print(f"\n{name} survivors (line, operator: original → mutant):")
        if r["wider_command"]:
            print(f"(each also run against `{r['wider_command']}`)")
        for s in r["survivors"]:
            if s["equivalent"]:
                verdict = f"equivalent — {s['equivalent']}"
            elif s["wider"] == "killed":
                verdict = "killed only by the wider tests"
            elif s["wider"] == "survived":
                verdict = "NOT KILLED by any test run"
            else:
                verdict = "NOT KILLED by its own tests (the wider tests were not run)"
            print(f"- L{s['line']} {s['operator']}: `{s['original']}` → `{s['mutant']}` — {verdict}")


if __name__ == "__main__":
    main(sys.argv[1:])
