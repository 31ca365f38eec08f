"""What the benchmark scripts share: reading a process's own memory figures."""


def rss_kb(field: str = "VmRSS") -> int:
    """This process's resident set (VmRSS) or its peak (VmHWM), in KiB, from /proc."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0
