#!/usr/bin/env bash
# Creates the cgroup v1 CPU quota Lambda gives a function of the given memory size (1,769 MB = one
# vCPU, proportional below, in 100 ms periods) and prints its directory, for coldstart.mjs --cgroup.
# Needs root and /sys/fs/cgroup/cpu; remove the directory with rmdir when done.
# Usage: cpu-share.sh <memory MB>
set -euo pipefail
mb=$1
cgroup=/sys/fs/cgroup/cpu/lambda-coldstart-$mb
mkdir -p "$cgroup"
echo 100000 >"$cgroup/cpu.cfs_period_us"
echo $((mb * 100000 / 1769)) >"$cgroup/cpu.cfs_quota_us"
echo "$cgroup"
