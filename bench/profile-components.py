#!/usr/bin/env python3
"""Splits a perf profile of the proxy by component, read from `perf script -F comm,ip,sym` on stdin.

A sample in the kernel under a system call counts for that system call (on loopback, `sendto` also
carries the receiving side's TCP work). Any other sample counts for the first component found walking
from the sampled frame outwards: time in the runtime's helpers (copies, hashing, casts) goes to the
component that called them. Used by bench/profile.sh.
"""
import collections
import re
import sys

# Order matters only within one frame; the walk outwards decides between components.
COMPONENTS = [
    ("GC", re.compile(r"gc_heap|GCHeap|WKS::|SVR::")),
    ("proxy (transforms, handler, telemetry)", re.compile(r"FingerprintProxy_|ProxyHost_")),
    ("the floor's own code (bench/forwarder-floor)", re.compile(r"^forwarder_floor_")),
    ("YARP forwarder", re.compile(r"^Yarp_")),
    ("HttpClient (SocketsHttpHandler)", re.compile(r"System_Net_Http")),
    ("Kestrel", re.compile(r"Kestrel")),
    ("ASP.NET Core routing and middleware", re.compile(r"Microsoft_AspNetCore_(Routing|Diagnostics|Hosting|Http)")),
    ("Activity and diagnostics", re.compile(r"System_Diagnostics_DiagnosticSource")),
    ("logging", re.compile(r"Microsoft_Extensions_Logging")),
    ("sockets", re.compile(r"System_Net_Sockets")),
    ("pipelines", re.compile(r"System_IO_Pipelines")),
    ("thread pool and locks", re.compile(r"ThreadPool|LowLevelLifoSemaphore|SpinWait|Monitor__|ExecutionContext")),
]
# The kernel's entry point for a system call is the frame just inside do_syscall_64: __x64_sys_sendto,
# or __sys_sendmsg where the wrapper was inlined.
SYSCALL_PREFIX = re.compile(r"^_*(x64_|ia32_|arm64_)?(do_)?sys_")


def samples(lines):
    frames = None
    for line in lines:
        if not line.strip():
            continue
        if not line[0].isspace():
            if frames is not None:
                yield frames
            frames = []
            continue
        parts = line.split(None, 1)
        if frames is not None and len(parts) == 2:
            frames.append(re.sub(r"\+0x[0-9a-f]+$", "", parts[1].strip()))
    if frames:
        yield frames


def component(frames):
    for i, frame in enumerate(frames):
        if frame.startswith("do_syscall_64") and i > 0:
            return "kernel: " + SYSCALL_PREFIX.sub("", frames[i - 1])
    for frame in frames:
        for name, pattern in COMPONENTS:
            if pattern.search(frame):
                return name
    return "other"


def main():
    counts = collections.Counter(component(frames) for frames in samples(sys.stdin))
    total = sum(counts.values())
    if total == 0:
        print("no samples")
        return
    for name, count in counts.most_common(25):
        print(f"{100 * count / total:6.1f}%  {name}")
    print(f"{total} samples")


if __name__ == "__main__":
    main()
