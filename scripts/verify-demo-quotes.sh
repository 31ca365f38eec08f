#!/usr/bin/env bash
# Check every quote of the built-in debate against your own copies of its source texts.
# Usage: scripts/verify-demo-quotes.sh DIR   (DIR holds the five source .txt files)
# Each text is attached to its source in a throw-away store; argmap refuses a text that
# lacks any quote of that source, so a clean run means every quote is exact.
set -euo pipefail
dir=${1:?usage: $0 DIR}
db=$(mktemp -d)/verify.db
argmap --db "$db" demo --out "$(dirname "$db")/map.html" >/dev/null
declare -A files=(
  [sample-efficiency-black-hole]=sample-efficiency-black-hole.txt
  [comment-thread]=comment-thread-on-sample-efficiency.txt
  [episode-digest]=episode-summary-digest.txt
  [episode-signal]=episode-summary-signal.txt
  [data-scaling-hypothesis-post]=data-scaling-hypothesis.txt
)
for id in "${!files[@]}"; do
  argmap --db "$db" source attach-text "$id" "$dir/${files[$id]}"
done
