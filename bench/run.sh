#!/usr/bin/env bash
# Benchmarks llob-doctor against the tools a user would otherwise run by hand, on the same data,
# in one run: scan vs du, delete vs rm -rf, process detection vs pgrep, stats vs grep -c (and rg),
# start-up. Medians of several runs (hyperfine). Figures and targets: BENCHMARKS.md.
#
#   bash bench/run.sh                                  # full size: 200,000 temp files, 1 GiB of logs
#   FILES=3000 LOG_MB=20 RUNS=2 bash bench/run.sh      # a quick smoke run
#   BIN=/path/to/other/llob-doctor bash bench/run.sh   # another build (e.g. before a change)
#   ONLY=stats bash bench/run.sh                       # only stats vs grep -c / rg -c
#   ONLY_QQ=1 bash bench/run.sh                         # only QQ's cache: 500,000 nt_data files
#   ONLY_QQ=1 QQ_FILES=20000 RUNS=2 bash bench/run.sh   # ... a quick smoke run of it
#
# Data is generated once per size with fixed seeds under $BENCH_DIR (default /tmp/llob-bench) and
# reused; `CLEAN=1` removes it at the end. Only processes this script starts are stopped, by PID.
# Nothing here needs root; the page cache is warm for every command (each has a warm-up run or
# reads data just copied), as when a user runs the command twice. Output goes to a pipe, not to
# /dev/null: GNU grep stops at the first match when its output is /dev/null.
set -euo pipefail
cd "$(dirname "$0")/.."

FILES=${FILES:-200000}
LOG_MB=${LOG_MB:-1024}
RUNS=${RUNS:-5}
PROCS=${PROCS:-300}
BENCH_DIR=${BENCH_DIR:-/tmp/llob-bench}
OUT=${OUT:-$BENCH_DIR/results}
mkdir -p "$BENCH_DIR" "$OUT"

need() { command -v "$1" >/dev/null || { echo "missing $1 (apt-get install -y $2)" >&2; exit 2; }; }
need hyperfine hyperfine
need python3 python3
need du coreutils
need pgrep procps

if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN=$PWD/target/release/llob-doctor
fi
echo "binary: $BIN ($("$BIN" --version))"

ONLY=${ONLY:-all}
# ---- QQ's own media cache (nt_data): clean --dry-run --qq-cache vs du -s, and the clean vs
# find -mtime +3 -delete on fresh copies. llob-doctor runs with --fs-root on an empty folder, so
# nothing of this machine's own QQ or LLOneBot is found or touched: only the --qq-data tree.
QQ_FILES=${QQ_FILES:-500000}
qq_cache_bench() {
  local tree=$BENCH_DIR/qq-$QQ_FILES empty=$BENCH_DIR/empty-root work=$BENCH_DIR/qq-work
  if [ ! -f "$tree/.complete" ]; then
    rm -rf "$tree"
    python3 bench/gen.py qq "$tree" --files "$QQ_FILES"
    touch "$tree/.complete"
  fi
  mkdir -p "$empty"
  local all=pic,video,ptt,file,emoji,temp,log,hot_update
  echo "QQ data: $(find "$tree/QQ" -type f | wc -l) files, $(du -sh "$tree/QQ" | cut -f1); load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/qq-data.txt"
  echo
  echo "== QQ cache scan: clean --dry-run --qq-cache vs du -s"
  hyperfine -N --output=pipe --warmup 1 --runs "$RUNS" --export-json "$OUT/qq-scan.json" \
    -n "llob-doctor clean --dry-run --qq-cache" \
    "$BIN --json --fs-root $empty --platform linux --qq-data $tree/QQ clean --dry-run --qq-cache --qq-cache-kinds $all" \
    -n "du -s" "du -s $tree/QQ"
  echo
  echo "== QQ cache delete: clean --qq-cache --yes vs find -mtime +3 -delete, each on a fresh copy"
  hyperfine -N --output=pipe --runs "${QQ_DELETE_RUNS:-3}" --export-json "$OUT/qq-delete.json" \
    --prepare "bash -c 'rm -rf $work && cp -a $tree $work && sync && sleep 3'" \
    -n "llob-doctor clean --qq-cache --yes" \
    "$BIN --quiet --fs-root $empty --platform linux --qq-data $work/QQ clean --qq-cache --qq-cache-kinds $all --yes" \
    -n "find -mtime +3 -delete" "find $work/QQ -path */nt_data/* -type f -mtime +3 -delete"
  rm -rf "$work"
  python3 - "$OUT" <<'PY' | tee "$OUT/qq-summary.md"
import json, os, sys
out = sys.argv[1]
def med(name):
    return {r["command"]: r["median"] for r in json.load(open(os.path.join(out, name + ".json")))["results"]}
s, d = med("qq-scan"), med("qq-delete")
rows = [("QQ cache scan: clean --dry-run --qq-cache vs du -s", s["llob-doctor clean --dry-run --qq-cache"], s["du -s"]),
        ("QQ cache delete: clean --qq-cache vs find -mtime +3 -delete", d["llob-doctor clean --qq-cache --yes"], d["find -mtime +3 -delete"])]
print("\n| comparison | llob-doctor | reference | ratio | target | met |")
print("|---|---:|---:|---:|---|---|")
for name, a, b in rows:
    print(f"| {name} | {a:.2f} s | {b:.2f} s | {a / b:.2f}x | <= 1.0x | {'yes' if a / b <= 1.0 else 'no'} |")
PY
}
if [ "${ONLY_QQ:-0}" = 1 ]; then
  qq_cache_bench
  exit 0
fi

TEMPLATE=$BENCH_DIR/template-$FILES
if [ "$ONLY" = all ] && [ ! -f "$TEMPLATE/.complete" ]; then
  rm -rf "$TEMPLATE"
  python3 bench/gen.py tree "$TEMPLATE" --files "$FILES"
  touch "$TEMPLATE/.complete"
fi
LOGS=$BENCH_DIR/logs-$LOG_MB
if [ ! -f "$LOGS/.complete" ]; then
  rm -rf "$LOGS"
  python3 bench/gen.py logs "$LOGS" --mb "$LOG_MB"
  touch "$LOGS/.complete"
fi
# The realistic mix: most entries are received messages (with their text lines), about a fifth
# of the lines hold a marker. The dense mix above: about half of the non-blank lines do.
LOGS_R=$BENCH_DIR/logs-$LOG_MB-realistic
if [ ! -f "$LOGS_R/.complete" ]; then
  rm -rf "$LOGS_R"
  python3 bench/gen.py logs "$LOGS_R" --mb "$LOG_MB" --mix realistic
  touch "$LOGS_R/.complete"
fi
DATA=$TEMPLATE/LLOneBot
MSG=(msg_1511954122 msg_2024112501)

if [ "$ONLY" = all ]; then
{
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "kernel: $(uname -r)"
  echo "filesystem of $BENCH_DIR: $(df -T "$BENCH_DIR" | awk 'NR == 2 {print $2}'), mounted $(findmnt -no OPTIONS -T "$BENCH_DIR" 2>/dev/null)"
  echo "data: $(find "$DATA" -type f | wc -l) files, $(du -sh "$DATA" | cut -f1); logs: $(find "$LOGS" -name '*.log' | wc -l) files, $(du -sh "$LOGS" | cut -f1)"
  echo "tools: $(hyperfine --version), $(du --version | head -1), $(grep --version | head -1), $(pgrep --version | head -1)$(command -v rg >/dev/null && echo ", $(rg --version 2>/dev/null | sed -n 1p)")"
} | tee "$OUT/machine.txt"

echo
echo "== scan and size: clean --dry-run vs du -s"
hyperfine -N --output=pipe --warmup 1 --runs "$RUNS" --export-json "$OUT/scan.json" \
  -n "llob-doctor clean --dry-run" "$BIN --json --data-dir $DATA clean --dry-run" \
  -n "du -s" "du -s $DATA"

echo
echo "== delete: clean --yes vs rm -rf, each on a fresh copy (copied, synced and settled before each run)"
WORK=$BENCH_DIR/work
hyperfine -N --output=pipe --runs "$RUNS" --export-json "$OUT/delete.json" \
  --prepare "bash -c 'rm -rf $WORK && cp -a $TEMPLATE $WORK && sync && sleep 3'" \
  -n "llob-doctor clean --yes" "$BIN --quiet --data-dir $WORK/LLOneBot clean --yes" \
  -n "rm -rf" "rm -rf $WORK/LLOneBot/${MSG[0]} $WORK/LLOneBot/${MSG[1]} $WORK/LLOneBot/temp"
rm -rf "$WORK"

echo
qq_cache_bench

echo
echo "== process detection with $PROCS other processes and 5 named qq: detect vs pgrep -x qq"
FSROOT=$BENCH_DIR/fsroot
mkdir -p "$FSROOT/opt/QQ"
cp "$(command -v sleep)" "$FSROOT/opt/QQ/qq"
pids=()
cleanup_procs() { [ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true; pids=(); }
trap cleanup_procs EXIT
for _ in $(seq 1 "$PROCS"); do sleep 900 & pids+=($!); done
for _ in $(seq 1 5); do "$FSROOT/opt/QQ/qq" 900 & pids+=($!); done
sleep 0.5
echo "processes on the machine: $(ls -d /proc/[0-9]* | wc -l); pgrep -x qq finds $(pgrep -x qq | wc -l)"
hyperfine -N --output=pipe -i --warmup 3 --runs $((RUNS * 6)) --export-json "$OUT/procs.json" \
  -n "llob-doctor detect" "$BIN --json --fs-root $FSROOT --platform linux detect" \
  -n "pgrep -x qq" "pgrep -x qq"
cleanup_procs
trap - EXIT
fi

echo
# The fair comparison: grep -c with the literal markers stats itself looks for (fixed strings).
# Every family's: requests, sizes, errors (the timeout texts of 5.x-8.x and NapCat are inside
# the 发生错误 line), 3.x's IPC timeouts and WebSocket reports, NapCat's sent messages.
PATTERNS=(-e 收到http请求 -e "收到 HTTP 请求" -e 收到正向 -e 收到反向 -e 发送消息总大小 -e 设置消息超时时间
          -e 发生错误 -e 发送超时 -e "ws 消息上报" -e "ntqq api timeout" -e "Timeout: NTEvent" -e "发送 -> ")
quoted=""
for p in "${PATTERNS[@]}"; do
  case $p in *" "*) quoted+=" '$p'" ;; *) quoted+=" $p" ;; esac
done
# stats_bench LOGS NAME: stats, grep -c and rg -c on one mix, side by side in one hyperfine run.
stats_bench() {
  local logs=$1 name=$2
  echo
  echo "== stats vs grep -c / rg -c on $LOG_MB MiB of logs, $name mix ($logs); load: $(cut -d' ' -f1-3 /proc/loadavg)"
  local cases=(-n "llob-doctor stats" "$BIN --json stats $logs"
               -n "grep -c (stats' markers)" "grep -rcF$quoted $logs"
               -n "grep -c 发送超时" "grep -rcF 发送超时 $logs")
  if command -v rg >/dev/null; then
    cases+=(-n "rg -c (stats' markers)" "rg -cF$quoted $logs"
            -n "rg -c 发送超时" "rg -cF 发送超时 $logs")
  fi
  hyperfine -N --output=pipe -i --warmup 1 --runs "$RUNS" --export-json "$OUT/$name.json" "${cases[@]}"
}
stats_bench "$LOGS" stats
stats_bench "$LOGS_R" stats-realistic

if [ "$ONLY" = stats ]; then
  python3 - "$OUT" "$LOGS" "$LOGS_R" <<'PY' | tee "$OUT/summary-stats.md"
import json, os, sys
out = sys.argv[1]
for name, logs in (("stats", sys.argv[2]), ("stats-realistic", sys.argv[3])):
    runs = json.load(open(os.path.join(out, name + ".json")))["results"]
    st = {r["command"]: r for r in runs}
    size = sum(os.path.getsize(os.path.join(logs, f)) for f in os.listdir(logs) if f.endswith(".log"))
    me = st["llob-doctor stats"]
    print(f"\n{name} ({size / 2**20:.0f} MiB)\n")
    print("| command | median | min | max | user+sys CPU | stats / it (time) | stats / it (CPU) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    mcpu = me["user"] + me["system"]
    for cmd, r in st.items():
        cpu = r["user"] + r["system"]
        print(f"| {cmd} | {r['median'] * 1000:.0f} ms | {r['min'] * 1000:.0f} ms | {r['max'] * 1000:.0f} ms"
              f" | {cpu * 1000:.0f} ms | {me['median'] / r['median']:.2f}x | {mcpu / cpu:.2f}x |")
    gbps = size / me["median"] / 1e9
    g = me["median"] / st["grep -c (stats' markers)"]["median"]
    print(f"\n| target | measured | met |\n|---|---:|---|")
    print(f"| >= 1 GB/s | {gbps:.2f} GB/s | {'yes' if gbps >= 1 else 'no'} |")
    print(f"| <= 0.6x grep -c (stats' markers) | {g:.2f}x | {'yes' if g <= 0.6 else 'no'} |")
    if "rg -c (stats' markers)" in st:
        r = me["median"] / st["rg -c (stats' markers)"]["median"]
        print(f"| aim: <= 1.0x rg -c (stats' markers) | {r:.2f}x | {'yes' if r <= 1.0 else 'no'} |")
PY
  exit 0
fi

echo
echo "== start-up"
hyperfine -N --output=pipe --warmup 5 --runs 100 --export-json "$OUT/startup.json" \
  -n "llob-doctor --version" "$BIN --version"

python3 - "$OUT" "$LOGS" <<'PY' | tee "$OUT/summary.md"
import json, os, sys
out, logs = sys.argv[1], sys.argv[2]
def med(name):
    return {r["command"]: r["median"] for r in json.load(open(os.path.join(out, name + ".json")))["results"]}
size = sum(os.path.getsize(os.path.join(logs, f)) for f in os.listdir(logs) if f.endswith(".log"))
s, d, p, st = med("scan"), med("delete"), med("procs"), med("stats")
rows = [
    ("scan: clean --dry-run vs du -s", s["llob-doctor clean --dry-run"], s["du -s"], 1.0),
    ("delete: clean --yes vs rm -rf", d["llob-doctor clean --yes"], d["rm -rf"], 1.0),
    ("processes: detect vs pgrep -x qq", p["llob-doctor detect"], p["pgrep -x qq"], 3.0),
    ("stats vs grep -c (stats' markers)", st["llob-doctor stats"], st["grep -c (stats' markers)"], 0.6),
    ("stats vs grep -c 发送超时", st["llob-doctor stats"], st["grep -c 发送超时"], None),
]
if "rg -c 发送超时" in st:
    # An aim rather than a target: see BENCHMARKS.md for why it is not met.
    rows.append(("stats vs rg -c (stats' markers), aim", st["llob-doctor stats"], st["rg -c (stats' markers)"], 1.0))
    rows.append(("stats vs rg -c 发送超时", st["llob-doctor stats"], st["rg -c 发送超时"], None))
    sr = med("stats-realistic")
    rows.append(("realistic mix: stats vs rg -c (stats' markers), aim", sr["llob-doctor stats"], sr["rg -c (stats' markers)"], 1.0))
def ms(x):
    return f"{x * 1000:.1f} ms" if x < 1 else f"{x:.2f} s"
print("\n| comparison | llob-doctor | reference | ratio | target | met |")
print("|---|---:|---:|---:|---|---|")
for name, a, b, target in rows:
    t = f"<= {target:.1f}x" if target else "-"
    met = ("yes" if a / b <= target else "no") if target else "-"
    print(f"| {name} | {ms(a)} | {ms(b)} | {a / b:.2f}x | {t} | {met} |")
gbps = size / st["llob-doctor stats"] / 1e9
print(f"| stats throughput ({size / 2**20:.0f} MiB) | {gbps:.2f} GB/s | | | >= 1 GB/s | {'yes' if gbps >= 1 else 'no'} |")
su = med("startup")["llob-doctor --version"]
print(f"| start-up: --version | {su * 1000:.2f} ms | | | < 5 ms | {'yes' if su < 0.005 else 'no'} |")
PY

if [ "${CLEAN:-0}" = 1 ]; then
  rm -rf "$TEMPLATE" "$LOGS" "$FSROOT" "$OUT"
fi
