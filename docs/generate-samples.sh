#!/usr/bin/env bash
# Regenerates the CLI samples in docs/ with the rewind CLI itself.
set -euo pipefail
cd "$(dirname "$0")/.."
config=${CONFIG:-debug}   # CONFIG=release for realistic demo times
swift build -c "$config" --product rewind >/dev/null
rewind=$(swift build -c "$config" --show-bin-path)/rewind
"$rewind" plot --schedule revolve --steps 50 --slots 7 --color never --svg docs/revolve-50-7.svg > docs/revolve-50-7.txt
"$rewind" plot --schedule two-level --steps 60 --memory-slots 2 --disk-slots 5 --color never --svg docs/two-level-60.svg > docs/two-level-60.txt
"$rewind" plot --schedule revolve --steps 10000 --slots 10 --width 100 --height 30 --color never > docs/revolve-10000-10.txt
"$rewind" compare --steps 1000 --slots 10 > docs/compare-1000-10.txt
"$rewind" stats --schedule revolve --steps 1000 --slots 10 > docs/stats-1000-10.txt
"$rewind" table --max-slots 10 --max-repetitions 10 > docs/beta-table.txt
"$rewind" plan --steps 10000 --state-size 64MB --memory 1GB --disk 100GB --step-time 2ms > docs/plan-10000.txt
"$rewind" demo > docs/demo.txt
"$rewind" demo --sites 20000 --steps 2000 --memory 3MB --disk 200MB --compress --trace docs/demo-disk-trace.json > docs/demo-disk.txt
"$rewind" trace docs/demo-disk-trace.json > docs/demo-disk-trace.txt
"$rewind" demo --problem robertson --method kvaerno5 --rtol 1e-6 --atol 1e-10 --horizon 40 --format json > docs/demo-robertson.json
"$rewind" demo --problem implicit-order > docs/implicit-order.txt
rm docs/demo-disk-trace.json
echo "samples written to docs/"
