#!/usr/bin/env bash
# The scale note's measurement (docs/notes/x9.md): inspect + generate + qa + train (fast_dev) of a copy of
# examples/filesystem-agent at each sample count given, one after the other, with timestamps in the log.
# Usage, from the repository root after ./mvnw install -DskipTests and npm ci in it/mcp-servers:
#   docs/bench/scale-filesystem.sh 24 48 96        (logs and copies in target/scale/)
set -eu
root=$(pwd)
out=$root/target/scale
mkdir -p "$out"
for n in "$@"; do
  d=$out/fs-$n
  rm -rf "$d"; mkdir -p "$d"; cp -a examples/filesystem-agent/pom.xml examples/filesystem-agent/src "$d/"
  start=$(date +%s)
  ./mvnw -B -ntp -f "$d/pom.xml" compile -P'!install-mcp-servers' -Dforge.mcpServers="$root/it/mcp-servers" \
      -Dforge.profile=fast_dev -Dforge.samples="$n" -Dforge.evalRatio=0.1 -Dforge.threads=2 \
      -Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss > "$out/scale-$n.log" 2>&1
  echo "samples=$n wall=$(( $(date +%s) - start ))s load=$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/scale.txt"
  grep -h '"wallSeconds"\|"tokensSeen"' "$d/target/forge/reports/training.json" || true
done
