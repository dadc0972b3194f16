#!/usr/bin/env bash
# Runs a command with the CPU share Lambda gives a function of the given memory size (1,769 MB = one
# vCPU, proportional below), using a cgroup v1 CPU quota. Needs root and /sys/fs/cgroup/cpu; the cgroup
# is left for run.sh to remove (it cannot be removed while the command runs in it).
# Usage: with-cpu-share.sh <memory MB> command args...
set -euo pipefail
mb=$1
shift
cgroup=/sys/fs/cgroup/cpu/lambda-coldstart-$mb
mkdir -p "$cgroup"
echo 100000 >"$cgroup/cpu.cfs_period_us"
echo $((mb * 100000 / 1769)) >"$cgroup/cpu.cfs_quota_us"
echo $$ >"$cgroup/cgroup.procs"
exec "$@"
