"""Writes bench/RESULTS.md from a run of scripts/bench.sh: the machine, each figure, and each
budget of DESIGN.md §8 / issue 7 marked met or missed.

    python3 bench/report.py STATE_DIR USERS WORKSITES LARGEST DURATION
"""
import json
import os
import platform
import subprocess
import sys
from datetime import datetime, timezone

state, users, worksites, largest, duration = sys.argv[1:6]


def run(*command):
    try:
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def cpu_model():
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def memory_gib():
    with open("/proc/meminfo") as info:
        kib = int(info.readline().split()[1])
    return f"{kib / 1024 / 1024:.0f} GiB"


figures = {}
with open(os.path.join(state, "figures.tsv")) as lines:
    for line in lines:
        backend, name, rps, p50, p99, errors = line.rstrip("\n").split("\t")
        figures[(backend, name)] = (float(rps), float(p50), float(p99), int(errors))

emails = []
if os.path.exists(os.path.join(state, "emails.tsv")):
    with open(os.path.join(state, "emails.tsv")) as lines:
        for line in lines:
            backend, count, seconds, received, statuses = line.rstrip("\n").split("\t")
            emails.append((backend, int(count), float(seconds), int(received), statuses.strip()))

client = None
if os.path.exists(os.path.join(state, "client.json")):
    with open(os.path.join(state, "client.json")) as source:
        client = json.load(source)

def per_backend(prefix):
    """The text of STATE/PREFIX-BACKEND.txt for each backend that wrote one."""
    texts = {}
    for backend in ("sqlite", "postgres"):
        path = os.path.join(state, f"{prefix}-{backend}.txt")
        if os.path.exists(path):
            with open(path) as source:
                texts[backend] = source.read().strip()
    return texts


seeding = per_backend("seed")

budgets = []


def budget(what, met, measured):
    budgets.append((what, met, measured))


out = []
out.append("# Benchmark results")
out.append("")
out.append("Written by `bash scripts/bench.sh`; rerun it to compare. Server figures come from `wrk` "
           f"({duration} a figure, 2 threads) against the release build on this machine; "
           "client figures from headless Chromium with slow-4G networking and 4x CPU throttling.")
out.append("")
out.append("## Machine")
out.append("")
out.append(f"- Date: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}")
with open(os.path.join(state, "measured.txt")) as measured:
    out.append(f"- Commit: {measured.read().strip()}")
out.append(f"- CPU: {cpu_model()}, {os.cpu_count()} cores; memory {memory_gib()}")
out.append(f"- OS: {platform.platform()}")
out.append(f"- {run('rustc', '--version')}; {run('psql', '--version')}; SQLite {run('sqlite3', '--version').split(' ')[0]}")
out.append(f"- Data: {users} people, {worksites} worksites, the largest with {largest} members")
out.append("")
out.append("## Seeding")
out.append("")
for backend, text in seeding.items():
    out.append(f"**{backend}**")
    out.append("")
    out.append("```")
    out.append(text)
    out.append("```")
    out.append("")

out.append("## Server")
out.append("")
out.append("| backend | figure | requests/s | p50 ms | p99 ms | errors |")
out.append("|---|---|---:|---:|---:|---:|")
for (backend, name), (rps, p50, p99, errors) in figures.items():
    out.append(f"| {backend} | {name} | {rps:.0f} | {p50:.2f} | {p99:.2f} | {errors} |")
out.append("")

for backend in ("sqlite", "postgres"):
    members = sorted(((int(name.split("-")[1]), values) for (b, name), values in figures.items()
                      if b == backend and name.startswith("members-") and name.split("-")[1].isdigit()))
    pages = [values for (b, name), values in figures.items()
             if b == backend and name.startswith("members-next-page-")]
    if members:
        worst = max(values[2] for values in [v for _, v in members] + pages)
        budget(f"{backend}: Active Members p99 ≤ 20 ms (first and next pages)", worst <= 20,
               f"worst {worst:.2f} ms")
        smallest, largest_list = members[0][1][2], members[-1][1][2]
        ratio = largest_list / smallest if smallest else float("inf")
        budget(f"{backend}: Active Members flat from {members[0][0]} to {members[-1][0]} members (within 2x)",
               ratio <= 2, f"{ratio:.2f}x")
    for (b, name), values in figures.items():
        if b == backend and name.startswith("members-search-"):
            budget(f"{backend}: Active Members search p99 ≤ 20 ms ({name.split('-')[-1]} members)",
                   values[2] <= 20, f"{values[2]:.2f} ms")
    beside = figures.get((backend, "members-beside-sign-ins"))
    if beside:
        budget(f"{backend}: reads beside 50 sign-ins p99 ≤ 100 ms", beside[2] <= 100, f"{beside[2]:.2f} ms")
failing = [f"{backend} {name}" for (backend, name), values in figures.items() if values[3] > 0]
budget("every figure answered without errors (non-2xx or socket errors)", not failing,
       ", ".join(failing) or "none")
read = figures.get(("sqlite", "authenticated-read"))
if read:
    budget("sqlite: authenticated read ≥ 3 000 requests/s, p99 ≤ 25 ms at 64 clients",
           read[0] >= 3000 and read[2] <= 25, f"{read[0]:.0f}/s, p99 {read[2]:.2f} ms")

plans = per_backend("plans")
if plans:
    out.append("## Query plans of the largest member list")
    out.append("")
    out.append("From `portal explain WORKSITE_ID`: the first page, a next page, the count, and a search read each of its two ways.")
    out.append("")
    for backend, text in plans.items():
        out.append(f"**{backend}**")
        out.append("")
        out.append("```")
        out.append(text)
        out.append("```")
        out.append("")

out.append("## Emails")
out.append("")
out.append("| backend | queued | seconds to drain | received by the sink | outbox afterwards |")
out.append("|---|---:|---:|---:|---|")
for backend, count, seconds, received, statuses in emails:
    out.append(f"| {backend} | {count} | {seconds:.1f} | {received} | {statuses} |")
    budget(f"{backend}: {count} emails drained in ≤ 60 s, none lost or sent twice",
           seconds <= 60 and received == count, f"{seconds:.1f} s, {received} received")
out.append("")

if client:
    bundle = client["bundle"]
    out.append("## Client")
    out.append("")
    out.append("| file | raw KB | gzip KB | brotli KB |")
    out.append("|---|---:|---:|---:|")
    for name, size in bundle["files"].items():
        out.append(f"| {name} | {size['raw'] / 1024:.1f} | {size['gzip'] / 1024:.1f} | {size['brotli'] / 1024:.1f} |")
    main = bundle["main"]
    out.append(f"| **main bundle** (every page loads it) | {main['raw'] / 1024:.1f} | {main['gzip'] / 1024:.1f} | {main['brotli'] / 1024:.1f} |")
    out.append(f"| **all files** (with the lazily loaded pages: `split_*`, and the code they share: `chunk_*`) | {bundle['raw'] / 1024:.1f} | {bundle['gzip'] / 1024:.1f} | {bundle['brotli'] / 1024:.1f} |")
    out.append("")
    budget("WASM + JS ≤ 250 KB brotli (the main bundle; the back office, development tools and one-off flows load on demand)",
           main["brotli"] <= 250 * 1024, f"{main['brotli'] / 1024:.1f} KB (all files {bundle['brotli'] / 1024:.1f} KB)")
    out.append("First visits load with the browser cache off; return visits revalidate the bundle (`no-cache`) and reuse it.")
    out.append("")
    out.append("| page | transferred KB | of which WASM + JS KB | first contentful paint ms | largest contentful paint ms | hydrated ms | return visit: transferred KB | return visit: hydrated ms |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for page in client["pages"]:
        out.append(f"| {page['url']} | {page['transferred'] / 1024:.1f} | {page['bundle'] / 1024:.1f} | {page['fcp']} | {page['lcp']} | {page['hydrated']} | {page['returnTransferred'] / 1024:.1f} | {page['returnHydrated']} |")
        budget(f"{page['url']}: LCP ≤ 1.0 s and hydrated ≤ 2.0 s (slow 4G, 4x CPU)",
               page["lcp"] <= 1000 and page["hydrated"] <= 2000,
               f"LCP {page['lcp']} ms, hydrated {page['hydrated']} ms")
    out.append("")

out.append("## Budgets")
out.append("")
out.append("| budget | met | measured |")
out.append("|---|---|---|")
for what, met, measured in budgets:
    out.append(f"| {what} | {'yes' if met else '**no**'} | {measured} |")
out.append("")
print("\n".join(out))
