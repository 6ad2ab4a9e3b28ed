#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for `wm run --executor slurm` and its tests:
#   scripts/slurm-cluster.sh start    # install the Debian packages if missing (root), start munged,
#                                     # slurmctld and slurmd, wait until the node is idle (idempotent)
#   scripts/slurm-cluster.sh status   # which daemons run, and sinfo
#   scripts/slurm-cluster.sh stop     # stop the daemons this script started (by their pid files)
# No systemd: the daemons are started by hand (Debian's invoke-rc.d is blocked in containers). The node is
# NodeName=localhost at 127.0.0.1 (`slurmd -N localhost`), so the machine's hostname and DNS do not matter.
# It writes /etc/slurm/slurm.conf, and refuses to replace one it did not write (a real cluster's).
set -euo pipefail

packages=(slurmctld slurmd slurm-client munge)
conf=/etc/slurm/slurm.conf
marker="# Written by WorldModel's scripts/slurm-cluster.sh"
ctld_pid=/run/slurmctld.pid
slurmd_pid=/run/slurmd.pid
munge_pid=/run/munge/munged.pid

say() { echo "slurm-cluster: $*" >&2; }

# Whether the pid file names a live process of that program (a stale file after a reboot names nothing,
# or another program).
running() {
  local file="$1" name="$2" pid
  [ -r "$file" ] || return 1
  pid="$(cat "$file" 2>/dev/null)" || return 1
  [ -n "$pid" ] && [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" = "$name" ]
}

install_packages() {
  local missing=() p
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    say "error: missing Debian packages: ${missing[*]}; run as root, or: sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
  say "installing ${missing[*]} (apt-get)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # postinst says "invoke-rc.d: policy-rc.d denied execution of start" without systemd: harmless, we start them.
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# slurm.conf for this machine: its CPUs and memory as `slurmd -C` sees them (RealMemory above what slurmd
# finds would drain the node as "Low RealMemory"); nproc if slurmd -C says nothing.
write_conf() {
  local node cpus memory
  node="$(slurmd -C 2>/dev/null | grep -o 'CPUs=.*RealMemory=[0-9]*' || true)"
  if [ -z "$node" ]; then
    cpus="$(nproc)"
    memory="$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)"
    node="CPUs=$cpus RealMemory=$memory"
  fi
  mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
  cat > "$conf.new" <<CONF
$marker (a single-node test cluster; see /work/shared/SLURM.md).
ClusterName=wm
SlurmctldHost=localhost
SlurmUser=root
AuthType=auth/munge
MpiDefault=none
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmctldPidFile=$ctld_pid
SlurmdPidFile=$slurmd_pid
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
NodeName=localhost NodeAddr=127.0.0.1 $node State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
  mv "$conf.new" "$conf"
}

start() {
  install_packages
  if [ -f "$conf" ] && ! grep -qF "$marker" "$conf"; then
    say "error: $conf was not written by this script (a real cluster's?); not replacing it"
    exit 1
  fi

  if ! running "$munge_pid" munged; then
    if [ ! -s /etc/munge/munge.key ]; then
      # Debian's postinst makes the key; a minimal image may have skipped it.
      dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null
      chown munge:munge /etc/munge/munge.key
      chmod 600 /etc/munge/munge.key
    fi
    mkdir -p /run/munge && chown munge:munge /run/munge && chmod 0755 /run/munge
    runuser -u munge -- /usr/sbin/munged
  fi
  munge -n | unmunge >/dev/null || { say "error: munge does not work (munge -n | unmunge)"; exit 1; }

  # The config is only rewritten while slurmctld is down: a running one keeps the config it read.
  running "$ctld_pid" slurmctld || write_conf
  running "$ctld_pid" slurmctld || /usr/sbin/slurmctld
  running "$slurmd_pid" slurmd || /usr/sbin/slurmd -N localhost

  local waited=0
  until sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; do
    sleep 0.5
    waited=$((waited + 1))
    if [ "$waited" -ge 120 ]; then
      say "error: the node did not come up within 60 s; sinfo says:"
      sinfo -N -l >&2 || true
      tail -n 20 /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log >&2 || true
      exit 1
    fi
  done
  say "up: $(sinfo -h -o '%P %D node(s) %T, %c CPUs, %m MB')"
}

stop() {
  local file pids=()
  for file in "$slurmd_pid" "$ctld_pid" "$munge_pid"; do
    [ -r "$file" ] && pid="$(cat "$file")" && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && pids+=("$pid")
  done
  if [ ${#pids[@]} -eq 0 ]; then
    say "not running"
    return 0
  fi
  kill "${pids[@]}" 2>/dev/null || true
  local waited=0
  while [ "$waited" -lt 100 ]; do
    local alive=0 pid
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] && break
    sleep 0.1
    waited=$((waited + 1))
  done
  say "stopped"
}

status() {
  local code=0
  running "$munge_pid" munged && say "munged running" || { say "munged not running"; code=3; }
  running "$ctld_pid" slurmctld && say "slurmctld running" || { say "slurmctld not running"; code=3; }
  running "$slurmd_pid" slurmd && say "slurmd running" || { say "slurmd not running"; code=3; }
  [ "$code" -eq 0 ] && sinfo
  return "$code"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
