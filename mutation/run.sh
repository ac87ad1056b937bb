#!/usr/bin/env bash
# Mutation testing of the rule modules with cosmic-ray: `make mutation [MODULE=name]` runs this.
# Each mutation/<name>.toml is one module and the tests that own it. The mutants are written into a
# copy of the working tree (var/mutation/tree-<name>), never into the sources you are editing, so an
# interrupted run leaves nothing mutated behind and your own pytest runs see the real code; one copy
# per module, so that no module's run ever imports another module's mutant.
# Sessions (one SQLite file per module, var/mutation/<name>.sqlite) are started afresh each run;
# `.venv/bin/python mutation/report.py` prints the last run's report again.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=var/mutation
venv=$root/.venv

if [ $# -gt 0 ]; then names=("$@"); else names=($(ls mutation/*.toml | xargs -n1 basename | sed 's/\.toml$//')); fi
for name in "${names[@]}"; do
  [ -f "mutation/$name.toml" ] || { echo "No mutation/$name.toml; known: $(ls mutation/*.toml | xargs -n1 basename | sed 's/\.toml$//' | tr '\n' ' ')" >&2; exit 2; }
done

# Bytecode of one mutant must never be taken for another's (same size, same second).
export PYTHONDONTWRITEBYTECODE=1
mkdir -p "$work"
for name in "${names[@]}"; do
  tree=$work/tree-$name
  rsync -a --delete --delete-excluded --exclude .git --exclude var --exclude .venv --exclude __pycache__ \
    --exclude node_modules ./ "$tree/"
  ln -sfn "$venv" "$tree/.venv"
  config=$root/mutation/$name.toml
  session=$root/$work/$name.sqlite
  tests=$("$venv/bin/python" -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["cosmic-ray"]["test-command"])' "$config")
  echo "== $name: baseline ($tests)"
  # The unmutated tests must pass; this run also (re)creates the test database that every mutant's
  # run then reuses.
  (cd "$tree" && $tests --create-db >/dev/null) || { echo "$name: the tests fail without any mutant" >&2; exit 1; }
  rm -f "$session"
  start=$(date +%s)
  (cd "$tree" && "$venv/bin/cosmic-ray" init "$config" "$session" && "$venv/bin/cosmic-ray" exec "$config" "$session")
  echo "$name: $(( $(date +%s) - start )) s" > "$work/$name.seconds"
  # The survivors once more, against the wider tests of the config's [survivors] table, if any.
  rm -f "$work/$name.wider.json"
  "$venv/bin/python" mutation/survivors.py "$name"
done

"$venv/bin/python" mutation/report.py "${names[@]}"
