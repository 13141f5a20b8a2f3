#!/usr/bin/env bash
# Mutation testing with Stryker.NET (the version pinned in dotnet-tools.json): mutates the files of one or more folders
# (or files) of src/Recovery.Journeys and runs the core tests (tests/Recovery.Journeys.Tests) against each mutant.
#
#   eng/mutation.sh src/Recovery.Journeys/Rules
#   eng/mutation.sh src/Recovery.Journeys/Templating/HandlebarsTemplateEngine.cs src/Recovery.Journeys/Templating/SubstitutionTemplate.cs
#   eng/mutation.sh src/Recovery.Journeys/Time --concurrency 2      # further arguments go to Stryker
#
# The reports (HTML, JSON, and a cleartext table in stryker.log) go to artifacts/mutation/<folder>/, which git ignores;
# the score is printed at the end. Slow on two cores (minutes per folder): it is not part of CI. docs/testing.md has
# the scores and the surviving mutants judged equivalent.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -eq 0 ] || [[ $1 == -* ]]; then
  echo "usage: eng/mutation.sh <folder or file under src/Recovery.Journeys>... [stryker options]" >&2
  exit 2
fi

# Each target, relative to the mutated project, becomes one of Stryker's --mutate globs.
mutate=()
names=()
while [ $# -gt 0 ] && [[ $1 != -* ]]; do
  relative=${1#./}
  relative=${relative#src/Recovery.Journeys/}
  relative=${relative%/}
  if [ -d "$root/src/Recovery.Journeys/$relative" ]; then
    mutate+=(--mutate "**/$relative/**/*.cs")
  elif [ -f "$root/src/Recovery.Journeys/$relative" ]; then
    mutate+=(--mutate "**/$relative")
  else
    echo "eng/mutation.sh: $1 is not a folder or a file of src/Recovery.Journeys" >&2
    exit 2
  fi
  names+=("$(tr '/' '-' <<<"${relative%.cs}")")
  shift
done

name=$(IFS=+; echo "${names[*]}")
output="$root/artifacts/mutation/$name"
rm -rf "$output"
mkdir -p "$output"

cd "$root"
dotnet tool restore >/dev/null

cd "$root/tests/Recovery.Journeys.Tests"
dotnet dotnet-stryker \
  --project Recovery.Journeys.csproj \
  "${mutate[@]}" \
  --output "$output" \
  --reporter Progress --reporter Html --reporter Json --reporter ClearText \
  --skip-version-check \
  "$@" | tee "$output/stryker.log"

# Stryker prints "The final mutation score is NN.NN %"; repeat it with the folder's name for the record.
score=$(grep -o 'The final mutation score is [0-9.]* %' "$output/stryker.log" | tail -n 1 | grep -o '[0-9.]* %' || true)
echo "mutation score of $name: ${score:-unknown} (reports in ${output#"$root"/})"
