#!/bin/sh
# ONNX Runtime's attention (fused MultiHeadAttention and the plain MatMul -> Softmax -> MatMul graph) and
# bench-attention, alternating per n so both see the same machine load. See README.md in this directory.
# usage: side_by_side.sh BENCH_BINARY WORK_DIR ROUNDS N...
#   WORK_DIR holds node_modules/onnxruntime-node and receives the models.
set -e
if [ $# -lt 4 ]; then
    echo "usage: side_by_side.sh BENCH_BINARY WORK_DIR ROUNDS N..." >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
bench=$1 work=$2 rounds=$3
shift 3
mkdir -p "$work/models"
/usr/bin/python3 "$here/make_models.py" "$work/models" "$@"
for n in "$@"; do
    r=1
    while [ "$r" -le "$rounds" ]; do
        echo "== n=$n round $r; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
        for spin in 1 0; do
            NODE_PATH="$work/node_modules" node "$here/ort_time.js" "$work/models" mha "$n" 2 1 "$spin"
        done
        # the plain graph holds 2 × 8 × n² floats: 4 GiB at n = 8192, too much beyond
        if [ "$n" -le 8192 ]; then
            NODE_PATH="$work/node_modules" node "$here/ort_time.js" "$work/models" plain "$n" 2 1 1
        fi
        "$bench" --n-min "$n" --n-max "$n" --kernels-only --threads 2 | grep -E "^ *$n \||naive|FMA peak"
        r=$((r + 1))
    done
done
