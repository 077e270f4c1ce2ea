#!/usr/bin/env bash
# Benchmarks llob-doctor against the tools a user would otherwise run by hand, on the same data,
# in one run: scan vs du, delete vs rm -rf, process detection vs pgrep, stats vs grep -c (and rg),
# start-up. Medians of several runs (hyperfine). See BENCHMARKS.md for the figures and targets.
#
#   bash bench/run.sh               # full size: 200,000 temp files, 1 GiB of logs
#   FILES=20000 LOG_MB=100 bash bench/run.sh   # a quick run
#
# Data is generated once with a fixed seed under $BENCH_DIR (default /tmp/llob-bench) and reused.
# Only processes this script starts are stopped, by PID.
set -euo pipefail
cd "$(dirname "$0")/.."

FILES=${FILES:-200000}
LOG_MB=${LOG_MB:-1024}
RUNS=${RUNS:-5}
BENCH_DIR=${BENCH_DIR:-/tmp/llob-bench}
OUT=${OUT:-$BENCH_DIR/results}
mkdir -p "$BENCH_DIR" "$OUT"

need() { command -v "$1" >/dev/null || { echo "missing $1: apt-get install -y $2" >&2; exit 2; }; }
need hyperfine hyperfine
need python3 python3

cargo build --release --quiet
BIN=$PWD/target/release/llob-doctor

TEMPLATE=$BENCH_DIR/template-$FILES
if [ ! -d "$TEMPLATE/LLOneBot" ]; then
  python3 bench/gen.py tree "$TEMPLATE" --files "$FILES"
fi
LOG=$BENCH_DIR/llonebot-$LOG_MB.log
if [ ! -f "$LOG" ]; then
  python3 bench/gen.py logs "$LOG" --mb "$LOG_MB"
fi
DATA=$TEMPLATE/LLOneBot
EMPTY=$BENCH_DIR/empty-root
mkdir -p "$EMPTY"

echo "== scan and size: clean --dry-run vs du -s"
hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$OUT/scan.json" \
  -n "llob-doctor clean --dry-run" "$BIN --json --data-dir $DATA clean --dry-run" \
  -n "du -s" "du -s $DATA"

echo "== delete: clean --yes vs rm -rf, each on a fresh copy"
WORK=$BENCH_DIR/work
hyperfine --runs "$RUNS" --export-json "$OUT/delete.json" \
  --prepare "rm -rf $WORK && cp -a $TEMPLATE $WORK && sync" \
  -n "llob-doctor clean --yes" "$BIN --quiet --data-dir $WORK/LLOneBot clean --yes" \
  -n "rm -rf" "rm -rf $WORK/LLOneBot/msg_1511954122 $WORK/LLOneBot/msg_2024112501 $WORK/LLOneBot/temp"
rm -rf "$WORK"

echo "== process detection with a few hundred processes: detect vs pgrep -x qq"
PROCS=$BENCH_DIR/procs
mkdir -p "$PROCS"
cp "$(command -v sleep)" "$PROCS/qq"
pids=()
for _ in $(seq 1 300); do sleep 600 & pids+=($!); done
for _ in $(seq 1 5); do "$PROCS/qq" 600 & pids+=($!); done
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
sleep 0.5
hyperfine -N -i --warmup 2 --runs $((RUNS * 4)) --export-json "$OUT/procs.json" \
  -n "llob-doctor detect" "$BIN --json --fs-root $EMPTY --platform linux detect" \
  -n "pgrep -x qq" "pgrep -x qq"
kill "${pids[@]}" 2>/dev/null || true
trap - EXIT

echo "== stats vs grep -c on $LOG_MB MiB of logs"
cases=(-n "llob-doctor stats" "$BIN --json stats $LOG"
       -n "grep -c 发送超时" "grep -c 发送超时 $LOG"
       -n "grep -c (4 patterns)" "grep -c -e 收到http请求 -e 发生错误 -e 发送消息总大小 -e 设置消息超时时间 $LOG")
if command -v rg >/dev/null; then
  cases+=(-n "rg -c 发送超时" "rg -c 发送超时 $LOG")
fi
hyperfine -N -i --warmup 1 --runs "$RUNS" --export-json "$OUT/stats.json" "${cases[@]}"

echo "== start-up"
hyperfine -N --warmup 5 --runs 50 --export-json "$OUT/startup.json" \
  -n "llob-doctor --version" "$BIN --version"

python3 - "$OUT" "$LOG" <<'PY'
import json, os, sys
out, log = sys.argv[1], sys.argv[2]
def med(name):
    return {r["command"]: r["median"] for r in json.load(open(os.path.join(out, name + ".json")))["results"]}
rows = []
s = med("scan"); rows.append(("scan vs du -s", s["llob-doctor clean --dry-run"], s["du -s"], "<= 1.0x"))
d = med("delete"); rows.append(("delete vs rm -rf", d["llob-doctor clean --yes"], d["rm -rf"], "<= 1.0x"))
p = med("procs"); rows.append(("detect vs pgrep", p["llob-doctor detect"], p["pgrep -x qq"], "<= 3.0x"))
st = med("stats"); rows.append(("stats vs grep -c", st["llob-doctor stats"], st["grep -c 发送超时"], "<= 1.5x"))
print(f"\n{'comparison':<20}{'llob-doctor':>14}{'reference':>12}{'ratio':>8}  target")
for name, a, b, target in rows:
    print(f"{name:<20}{a*1000:>12.1f}ms{b*1000:>10.1f}ms{a/b:>7.2f}x  {target}")
gbps = os.path.getsize(log) / st["llob-doctor stats"] / 1e9
print(f"stats throughput: {gbps:.2f} GB/s (target >= 1 GB/s)")
su = med("startup")["llob-doctor --version"]
print(f"start-up: {su*1000:.2f} ms (target < 5 ms)")
PY
