#!/usr/bin/env bash
# Makes sure what WorldModel needs outside NuGet is installed: the .NET 10 SDK, the EGL loader
# and Mesa's software OpenGL driver (headless rendering), and DejaVu fonts (plot text).
# With --tests, also Debian's chromium (the demo's browser test drives it headless), python3-torch and
# Slurm with munge (the Slurm executor's tests start a single-node cluster: scripts/slurm-cluster.sh).
# Installs the Debian packages when run as root; otherwise prints the exact command and fails.
set -euo pipefail
packages=(libegl1 libgl1-mesa-dri fonts-dejavu-core)
# python3-torch: the export test loads `wm export`'s file into PyTorch.
[ "${1:-}" = "--tests" ] && packages+=(chromium python3-torch slurmctld slurmd slurm-client munge)

if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET 10 SDK is not installed (dotnet not on PATH)." >&2
  echo "  install it: https://learn.microsoft.com/dotnet/core/install/linux-debian (package dotnet-sdk-10.0)" >&2
  exit 1
fi

command -v dpkg-query >/dev/null 2>&1 || exit 0   # not Debian-like: nothing we can check here
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} (apt-get)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
else
  echo "error: missing Debian packages: ${missing[*]}" >&2
  echo "  run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
