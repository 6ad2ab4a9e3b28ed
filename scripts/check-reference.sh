#!/usr/bin/env bash
# Re-runs the quickstart from scratch and compares its per-episode results (every column but
# plan_seconds) with the committed reference: exit 0 identical, 3 different.
#   scripts/check-reference.sh                       # configs/quickstart.json vs experiments/reference/quickstart
#   scripts/check-reference.sh CONFIG REFERENCE_DIR  # any experiment and its reference
# Learned models' episodes depend on the CPU family's float rounding (the reference names its
# machine); the oracle rows must match everywhere.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
config="${1:-$root/configs/quickstart.json}"
reference="${2:-$root/experiments/reference/quickstart}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$root/wm" run "$config" --out "$out/run" --device cpu
"$root/wm" compare "$reference" "$out/run"
