#!/usr/bin/env bash
# The long fuzz run of README "Fuzzing": every network parser, a million executions each (or the count given), one
# after another. Usage: scripts/fuzz.sh [executions per target] [Class#method …]
# Findings (crash-* reproducers) and each target's grown corpus land under target/fuzz/<method>/; copy inputs worth
# keeping into the seed directories under src/test/resources.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1000000}
shift || true
mvn -B -q -DskipTests test-compile
mvn -B -q exec:exec@fuzz-smoke -Dvideoroom.fuzz.skip=false -Dvideoroom.fuzz.runs="$runs" \
    -Dexec.args="-classpath %classpath org.videoroom.fuzz.FuzzRun $runs $*"
