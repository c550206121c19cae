#!/usr/bin/env bash
# Records/s of 1, 2 and 3 `kafka-wordcount --scale-out` members (release build) on an independent
# broker process, with the bytes per input record the keyed shuffle adds to Kafka.
# Usage: bash scripts/scale-out-bench.sh [LINES]   (default 300000 tweet-like lines)
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-300000}
bash scripts/install-dependencies.sh
swift build -c release --product kafka-wordcount >&2
swift build -c release --product kafka-produce >&2
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; bash scripts/kafka-test-broker.sh stop; [ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"' EXIT

# Tweet-like lines: Zipf words from a 50,000-word vocabulary, hashtags, mentions, a unique link in one line of five.
python3 - "$lines" >"$work/corpus.txt" <<'PY'
import random, sys
rng = random.Random(7)
vocabulary = [f"w{i}" for i in range(50_000)]
weights = [1 / (i + 1) for i in range(len(vocabulary))]
words = rng.choices(vocabulary, weights, k=int(sys.argv[1]) * 12)
out = []
for n in range(int(sys.argv[1])):
    line = words[n * 12:(n + 1) * 12]
    line[3] = "#" + line[3]
    line[7] = "@" + line[7]
    if n % 5 == 0: line.append(f"https://t.co/{n:x}")
    out.append(" ".join(line))
print("\n".join(out))
PY
input_bytes=$(wc -c <"$work/corpus.txt")

printf '%-8s %12s %10s %22s %22s\n' members "lines/s" "× 1 member" "repartition B/line" "changelog B/line"
for members in ${MEMBERS:-1 2 3}; do
    servers=$(bash scripts/kafka-test-broker.sh start)  # a fresh broker per run
    "$bin/kafka-produce" --bootstrap-servers "$servers" --topic words --partitions 6 --input /dev/null 2>/dev/null
    pids=()
    for i in $(seq "$members"); do
        "$bin/kafka-wordcount" --bootstrap-servers "$servers" --topic words --scale-out --group-id bench --batch-interval 1 \
            --max-records-per-partition 50000 --checkpoint "$work/checkpoint-$members-$i" --stop-after-idle-batches 10 \
            >/dev/null 2>"$work/err-$members-$i.txt" &
        pids+=($!)
    done
    # Once the group has settled (the members' latest assignments cover the six partitions once), the input arrives.
    for _ in $(seq 600); do
        owned=$(for i in $(seq "$members"); do
            grep 'the group assigns this member' "$work/err-$members-$i.txt" 2>/dev/null | tail -1 | grep -o 'words/[0-9]*' || true
        done)
        [ "$(echo "$owned" | grep -c .)" -eq 6 ] && [ "$(echo "$owned" | sort -u | grep -c .)" -eq 6 ] && break
        sleep 0.1
    done
    "$bin/kafka-produce" --bootstrap-servers "$servers" --topic words --input "$work/corpus.txt" 2>/dev/null
    for i in $(seq "$members"); do
        wait "${pids[$((i - 1))]}" || { echo "member $i failed:" >&2; tail -5 "$work/err-$members-$i.txt" >&2; exit 1; }
    done
    # Each member ends with "read N records from T1 to T2; wrote B bytes to …-repartition and C to …-changelog".
    read -r rate repartition changelog < <(python3 - "$lines" "$work"/err-"$members"-*.txt <<'PY'
import re, sys
lines, spans, shuffled, logged = int(sys.argv[1]), [], 0, 0
for path in sys.argv[2:]:
    m = re.search(r"read (\d+) records from ([\d.]+) to ([\d.]+); wrote (\d+) bytes to \S+ and (\d+)", open(path).read())
    if not m: sys.exit(f"no summary in {path}")
    spans.append((float(m[2]), float(m[3]), int(m[1])))
    shuffled += int(m[4]); logged += int(m[5])
read = sum(s[2] for s in spans)
if read < lines: sys.exit(f"the members read {read} records, not all {lines}")
seconds = max(s[1] for s in spans) - min(s[0] for s in spans)
print(round(lines / seconds), f"{shuffled / lines:.1f}", f"{logged / lines:.1f}")
PY
)
    [ -n "${rate:-}" ] || { echo "no figures for $members members" >&2; exit 1; }
    [ "$members" -eq 1 ] && single=$rate
    printf '%-8s %12s %10s %22s %22s\n' "$members" "$rate" "$(python3 -c "print(f'{$rate / ${single:-$rate}:.2f}')")" \
        "$repartition" "$changelog"
    bash scripts/kafka-test-broker.sh stop
done
echo "input: $lines lines, $((input_bytes / lines)) bytes a line, 6 partitions; 2 cores shared by the members and the broker"
