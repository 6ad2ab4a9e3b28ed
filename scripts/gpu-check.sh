#!/usr/bin/env bash
# The GPU check: `wm` with an installed PyTorch's libtorch (the external torch backend) on a GPU machine that has
# no .NET and no network, plus the GL renderer on its driver. docs/internals.md explains the backends.
#
#   scripts/gpu-check.sh pack       here: publish wm self-contained (linux-x64, external backend, .NET runtime
#                                   inside) as .gpu-check/wm.tar.xz, and say its size
#   scripts/gpu-check.sh run        there, from the repository root, as root: the checks below, report to $OUT
#                                   (default /tmp/wm-gpu-check-out): report.txt, report.json, logs.tar.gz and
#                                   the benchmarks' JSON (6 files). Carry .gpu-check/ and, where the machine
#                                   lacks the GL loaders, their Debian/Ubuntu .debs in .gl/
#   scripts/gpu-check.sh selftest   here: pack, then run twice: against Debian's python3-torch 1.13 (the version
#                                   check refuses it) and against NuGet's libtorch 2.10 dressed as a pip install
#                                   (everything runs, on the CPU)
#
# What `run` does, each step with a time limit, every result recorded whether it passed or not:
#   1. unpacks wm; unpacks the EGL/GL loader .debs carried in .gl/ (if any) into / and runs ldconfig
#   2. finds torch/lib from python3 (python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')
#   3. ldd -r of TorchSharp's shim libLibTorchSharp.so against that torch/lib: how many symbols it lacks
#   4. wm info with WM_LIBTORCH set: the version check (PyTorch 2.11 there: refused, 2.10 expected)
#   5. the same forced past the check (WM_LIBTORCH_FORCE=1): the first missing symbol, or a working wm
#   6. PyTorch's own step time: python3 bench/pytorch/train_step.py --device cuda
#   7. the GL renderer on the NVIDIA EGL driver: wm bench render (frames/s, and frames compared with the CPU
#      rasteriser's value by value)
#   8. when 4 or 5 loaded: a CUDA smoke test (20 training steps of the tiny config, one short planning
#      evaluation) and wm bench train with --pytorch (wm's step time as a ratio of PyTorch's)
# The steps share GPU_CHECK_SECONDS (default 480): give the device machine's command a limit of 540 or more.
#
# Variables: OUT (report folder), PYTHON (default python3), GPU_CHECK_TORCH_LIB (a torch/lib to use instead of
# python's), GPU_CHECK_DEVICE (cuda or cpu; default cuda when python's torch sees a GPU), GPU_CHECK_STEPS (timed
# training steps, default 10), GPU_CHECK_QUICK=1 (shorter benchmarks: the self-test).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pack_dir="$root/.gpu-check"
tarball="$pack_dir/wm.tar.xz"
limit_mib=40 # the device machine takes 64 MiB with the repository (~11 MiB) and the .gl loaders (~2 MiB)

pack() {
  set -e
  command -v dotnet >/dev/null || { echo "error: pack needs the .NET SDK (dotnet)" >&2; exit 1; }
  # The folder travels to the GPU machine whole: nothing but the archive in it.
  rm -rf "$pack_dir"
  mkdir -p "$pack_dir"
  echo "publishing wm (linux-x64, self-contained, TorchBackend=external)..." >&2
  # No debug symbols and English messages only: what the check needs, in the least space.
  dotnet publish "$root/src/WorldModel.Cli/WorldModel.Cli.csproj" -c Release -r linux-x64 --self-contained \
    -p:TorchBackend=external -p:DebugType=none -p:SatelliteResourceLanguages=en \
    -o "$pack_dir/wm" --nologo -v quiet "-clp:ErrorsOnly;NoSummary" >&2
  [ -x "$pack_dir/wm/wm" ] && [ -f "$pack_dir/wm/libLibTorchSharp.so" ] \
    || { echo "error: the publish lacks wm or libLibTorchSharp.so" >&2; exit 1; }
  if ls "$pack_dir/wm" | grep -q '^libtorch'; then
    echo "error: the external publish holds a libtorch of its own (a stale output folder?)" >&2; exit 1
  fi
  XZ_OPT=-9e tar -C "$pack_dir" -cJf "$tarball" wm
  local unpacked packed
  unpacked=$(du -sm "$pack_dir/wm" | cut -f1)
  packed=$(( $(stat -c %s "$tarball") / 1048576 ))
  rm -rf "$pack_dir/wm"
  echo "packed: $tarball, ${packed} MiB (${unpacked} MiB unpacked)"
  if [ "$packed" -ge "$limit_mib" ]; then
    echo "error: ${packed} MiB is over the ${limit_mib} MiB this check allows itself" >&2; exit 1
  fi
}

# --- run: everything below works without .NET, network or a GPU (it says what it could not do) ---

out="" logs="" report="" wm="" torch_lib="" torch_version="" device="" deadline=0
declare -A result=()

log() { echo "$*" | tee -a "$report"; }

# step NAME SECONDS COMMAND...: runs COMMAND with a limit, output to $logs/NAME.log; records its exit code.
step() {
  local name=$1 seconds=$2; shift 2
  local started=$SECONDS rc left=$((deadline - SECONDS))
  if [ "$left" -lt 15 ]; then
    result[$name]=124
    log "[$name] skipped: the check's time (GPU_CHECK_SECONDS) is used up"
    return 124
  fi
  [ "$seconds" -le "$left" ] || seconds=$left
  timeout --kill-after=10 "$seconds" "$@" >"$logs/$name.log" 2>&1
  rc=$?
  result[$name]=$rc
  log "[$name] exit $rc in $((SECONDS - started)) s: $*"
  return $rc
}

json_escape() { python3 -c 'import json,sys;print(json.dumps(sys.stdin.read()))' 2>/dev/null || echo '""'; }

run() {
  out="${OUT:-${TMPDIR:-/tmp}/wm-gpu-check-out}"
  logs="$out/logs"
  result=() torch_version=""
  # Every step ends by then: the device machine allows 10 minutes a command.
  deadline=$((SECONDS + ${GPU_CHECK_SECONDS:-480}))
  rm -rf "$logs" "$out/logs.tar.gz"
  mkdir -p "$logs"
  report="$out/report.txt"
  : >"$report"
  cd "$root"
  log "gpu-check $(date -u +%FT%TZ) on $(uname -srm); $(nproc) cores"
  command -v nvidia-smi >/dev/null && nvidia-smi -L 2>&1 | tee -a "$report"

  # 1. wm and the GL loaders
  local unpacked="${TMPDIR:-/tmp}/wm-gpu-check"
  rm -rf "$unpacked" && mkdir -p "$unpacked"
  [ -f "$tarball" ] || { log "error: $tarball is missing: run scripts/gpu-check.sh pack first"; exit 1; }
  # xz may be missing there; Python's tarfile reads it too.
  tar -C "$unpacked" -xJf "$tarball" 2>/dev/null \
    || python3 -c 'import sys,tarfile;tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$tarball" "$unpacked" \
    || { log "error: cannot unpack $tarball"; exit 1; }
  wm="$unpacked/wm/wm"
  if ls "$root"/.gl/*.deb >/dev/null 2>&1; then
    for f in "$root"/.gl/*.deb; do dpkg -x "$f" /; done
    ldconfig
    log "GL loaders unpacked from .gl/: $(ls "$root"/.gl | tr '\n' ' ')"
  fi

  # 2. torch/lib and its version, from python
  local python="${PYTHON:-python3}" py_cuda="" torch_dir=""
  local probe='import torch,os;print(os.path.dirname(torch.__file__));print(torch.__version__);'
  probe+='print(torch.version.cuda);print(torch.cuda.is_available())'
  if "$python" -c "$probe" >"$logs/python.log" 2>&1; then
    torch_dir=$(sed -n 1p "$logs/python.log")
    torch_version=$(sed -n 2p "$logs/python.log")
    py_cuda=$(sed -n 4p "$logs/python.log")
    log "python torch: $(tr '\n' ' ' <"$logs/python.log")(folder, version, CUDA, CUDA available)"
  else
    log "python torch: $python cannot import torch: $(tail -1 "$logs/python.log")"
  fi
  torch_lib="${GPU_CHECK_TORCH_LIB:-${torch_dir:+$torch_dir/lib}}"
  if [ -z "$torch_lib" ]; then
    log "error: no torch/lib: give a python with torch (PYTHON=...) or GPU_CHECK_TORCH_LIB=.../torch/lib"
    torch_lib=/nonexistent/torch/lib
  fi
  [ -n "$torch_version" ] \
    || torch_version=$(sed -n "s/^__version__ = '\(.*\)'/\1/p" "$torch_lib/../version.py" 2>/dev/null)
  device="${GPU_CHECK_DEVICE:-$([ "$py_cuda" = True ] && echo cuda || echo cpu)}"
  log "torch/lib: $torch_lib (version ${torch_version:-unknown}); device for the smoke test: $device"

  # 3. the shim against that libtorch, as the dynamic linker sees it
  LD_LIBRARY_PATH="$torch_lib" ldd -r "$unpacked/wm/libLibTorchSharp.so" >"$logs/ldd-r.log" 2>&1
  local missing
  missing=$(grep -c 'undefined symbol' "$logs/ldd-r.log")
  result[ldd_missing_symbols]=$missing
  log "[ldd-r] libLibTorchSharp.so against $torch_lib: $missing undefined symbols; first ones:"
  grep 'undefined symbol' "$logs/ldd-r.log" | sed 's/^undefined symbol: //; s/\t.*//' | head -5 \
    | { command -v c++filt >/dev/null && c++filt || cat; } | sed 's/^/    /' | tee -a "$report"

  # 4. the version check
  export WM_LIBTORCH="$torch_lib"
  step info 120 "$wm" info
  sed 's/^/    /' "$logs/info.log" | tee -a "$report"

  # 5. forced past it: the first symbol this libtorch lacks, or a wm that runs
  WM_LIBTORCH_FORCE=1 step info_forced 120 "$wm" info --device "$device"
  sed 's/^/    /' "$logs/info_forced.log" | tee -a "$report"

  # 6. PyTorch's own step, for comparison (bench/pytorch/train_step.py: the identical model and step)
  if [ "${GPU_CHECK_QUICK:-0}" != 1 ]; then
    step pytorch_train 240 "$python" bench/pytorch/train_step.py --device "$device" --steps "$steps" \
      --out "$out/pytorch-train.json"
    tail -4 "$logs/pytorch_train.log" | sed 's/^/    /' | tee -a "$report"
  fi

  # 7. the GL renderer on this machine's EGL driver (needs no libtorch)
  local batches="1,64,1024,4096" seconds=1
  [ "${GPU_CHECK_QUICK:-0}" = 1 ] && batches="1,1024" && seconds=0.3
  step render 240 "$wm" bench render --batches "$batches" --seconds "$seconds" --out "$out/render.json"
  local nvidia_egl=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
  if grep -q "gl unavailable" "$logs/render.log" && [ -f "$nvidia_egl" ]; then
    # The device machine's notes: name NVIDIA's EGL vendor file when glvnd finds no driver by itself.
    log "GL unavailable; again with NVIDIA's EGL vendor file named"
    __EGL_VENDOR_LIBRARY_FILENAMES="$nvidia_egl" \
      step render 240 "$wm" bench render --batches "$batches" --seconds "$seconds" --out "$out/render.json"
  fi
  grep -E "^(cpu|gl):|gl vs cpu|unavailable|│ (cpu|gl) " "$logs/render.log" | sed 's/^/    /' | tee -a "$report"

  # 8. the smoke test and wm's training step, when wm runs at all
  local steps="${GPU_CHECK_STEPS:-10}"
  if [ "${result[info]}" = 0 ] || [ "${result[info_forced]}" = 0 ]; then
    [ "${result[info]}" = 0 ] || export WM_LIBTORCH_FORCE=1
    local smoke="${TMPDIR:-/tmp}/wm-gpu-check-smoke"
    rm -rf "$smoke"
    step smoke_train 180 "$wm" train --config configs/tiny.json --device "$device" \
      --set train.steps=20 --set train.warmupSteps=2 --out "$smoke/run"
    tail -3 "$logs/smoke_train.log" | sed 's/^/    /' | tee -a "$report"
    if [ "${result[smoke_train]}" = 0 ]; then
      step smoke_plan 180 "$wm" eval-plan "$smoke/run" --device "$device" --no-oracle \
        --set episodes.acrossRooms=1 --set episodes.sameRoom=1 --set 'plannerHorizons=[8]' --out "$smoke/plan"
      tail -3 "$logs/smoke_plan.log" | sed 's/^/    /' | tee -a "$report"
    fi
    local bench_args=(bench train --device "$device" --steps "$steps" --out "$out/bench-train.json")
    [ "${GPU_CHECK_QUICK:-0}" = 1 ] || bench_args+=(--pytorch "$python")
    step bench_train 300 "$wm" "${bench_args[@]}"
    tail -12 "$logs/bench_train.log" | sed 's/^/    /' | tee -a "$report"
    unset WM_LIBTORCH_FORCE
  else
    log "[smoke] skipped: wm did not load this libtorch (steps 4 and 5)"
  fi

  # The summary as JSON: exit codes, the missing-symbol count, and the first line of each error.
  {
    echo "{"
    echo "  \"torchLib\": $(printf %s "$torch_lib" | json_escape),"
    echo "  \"torchVersion\": $(printf %s "$torch_version" | json_escape),"
    echo "  \"device\": \"$device\","
    echo "  \"lddMissingSymbols\": $missing,"
    echo "  \"infoError\": $(grep -m1 '^error:' "$logs/info.log" | json_escape),"
    echo "  \"forcedError\": $(grep -m1 '^error:' "$logs/info_forced.log" | json_escape),"
    local first=1
    echo "  \"exitCodes\": {"
    for k in "${!result[@]}"; do
      [ "$k" = ldd_missing_symbols ] && continue
      [ $first = 1 ] || echo ","
      printf '    "%s": %s' "$k" "${result[$k]}"
      first=0
    done
    echo ""
    echo "  }"
    echo "}"
  } >"$out/report.json"
  # The device machine returns at most 8 files: the logs travel as one archive.
  if [ "${GPU_CHECK_KEEP_LOGS:-0}" != 1 ]; then
    tar -C "$out" -czf "$out/logs.tar.gz" logs && rm -rf "$logs"
  fi
  log "report: $report, $out/report.json; logs: ${logs}$([ -d "$logs" ] || echo .tar.gz)"
}

selftest() {
  set -e
  [ "${GPU_CHECK_NO_PACK:-0}" = 1 ] && [ -f "$tarball" ] || pack
  local debian=/usr/lib/python3/dist-packages/torch/lib
  [ -d "$debian" ] \
    || { echo "error: selftest needs Debian's python3-torch (apt-get install python3-torch)" >&2; exit 1; }
  local nuget="${NUGET_PACKAGES:-$HOME/.nuget/packages}/libtorch-cpu-linux-x64/2.10.0/runtimes/linux-x64/native"
  [ -d "$nuget" ] || { echo "error: selftest needs the libtorch-cpu-linux-x64 2.10.0 package in $nuget" >&2; exit 1; }
  set +e
  echo "== 1. Debian's libtorch 1.13: the version check must refuse it" >&2
  export GPU_CHECK_KEEP_LOGS=1
  local reports="${TMPDIR:-/tmp}/wm-gpu-check-selftest"
  rm -rf "$reports"
  PYTHON=/usr/bin/python3 OUT="$reports/debian" GPU_CHECK_QUICK=1 GPU_CHECK_STEPS=1 run >/dev/null
  # 2. NuGet's libtorch 2.10 laid out as a pip install (torch/lib + torch/version.py): everything must run.
  local fake="${TMPDIR:-/tmp}/wm-gpu-check-torch"
  rm -rf "$fake" && mkdir -p "$fake/torch/lib"
  ln -s "$nuget"/*.so* "$fake/torch/lib/"
  echo "__version__ = '2.10.0+cpu'" >"$fake/torch/version.py"
  echo "== 2. NuGet's libtorch 2.10 as a pip install: everything must run (cpu)" >&2
  OUT="$reports/2.10" GPU_CHECK_TORCH_LIB="$fake/torch/lib" GPU_CHECK_QUICK=1 GPU_CHECK_STEPS=1 run \
    >/dev/null
  local d="$reports/debian/logs" f="$reports/2.10" failed=0
  grep -q "holds libtorch 1.13.0a0" "$d/info.log" || { echo "FAIL: 1.13 was not refused by version" >&2; failed=1; }
  grep -q "did not load against libtorch 1.13.0a0" "$d/info_forced.log" \
    || { echo "FAIL: forcing 1.13 did not report the failed load" >&2; failed=1; }
  grep -q '"info": 1' "$d/../report.json" || { echo "FAIL: report.json lacks info's exit code" >&2; failed=1; }
  for k in info smoke_train smoke_plan bench_train render; do
    grep -q "\"$k\": 0" "$f/report.json" || { echo "FAIL: with libtorch 2.10, $k did not succeed" >&2; failed=1; }
  done
  grep -q '"lddMissingSymbols": 0' "$f/report.json" \
    || { echo "FAIL: ldd -r found symbols missing in 2.10" >&2; failed=1; }
  [ $failed = 0 ] && echo "selftest passed: reports in $d and $f"
  return $failed
}

case "${1:-}" in
  pack) pack ;;
  run) run ;;
  selftest) selftest ;;
  *) echo "usage: scripts/gpu-check.sh pack | run | selftest" >&2; exit 2 ;;
esac
