#!/usr/bin/env bash
# Gradscope against its peers on this machine, back to back: the training step of the five
# configurations (Gradscope with the monitor off and cheap; PyTorch and TorchSharp on 1 and 2
# threads, each set up at its best) and the GEMM against OpenBLAS; then one table each.
# Installs what it needs (Debian packages only when missing), builds incrementally, rewrites OUT.
#
#   bash bench/peers/run.sh             # full run, about 5-15 minutes on 2 cores
#   bash bench/peers/run.sh --rounds 3  # training steps and GEMMs measured 3 times, interleaved;
#                                       # tables show the median over rounds (a busy host moves
#                                       # single runs by 20-40%)
#   bash bench/peers/run.sh --quick     # a few steps each, to try the setup (numbers mean little)
#
# OUT (default bench/peers/out) keeps every raw JSON result and the tables (tables.txt).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="${OUT:-$HERE/out}"
QUICK=0
ROUNDS=1
while (($#)); do
  case "$1" in
    -h | --help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
      exit 0 ;;
    --quick) QUICK=1 ;;
    --rounds)
      ROUNDS="${2:-}"
      [[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --rounds needs a positive whole number, got '${2:-}'" >&2; exit 2; }
      shift ;;
    *) echo "run.sh: unknown option '$1' (expected --quick, --rounds N or --help)" >&2; exit 2 ;;
  esac
  shift
done
CONFIGS=(deep-narrow-sigmoid deep-narrow-relu mnist-mlp wide deep-mnist-tanh)

# Warm-up and timed steps per configuration: .NET's tiered JIT needs a few hundred milliseconds
# before a hot loop runs its optimized code, so the warm-up is sized in time, not in steps (10
# warm-up steps of a 2 ms network measure unoptimized code). Peers get the same counts.
declare -A WARMUP=([deep-narrow-sigmoid]=300 [deep-narrow-relu]=300 [mnist-mlp]=100 [wide]=20 [deep-mnist-tanh]=150)
declare -A STEPS=([deep-narrow-sigmoid]=200 [deep-narrow-relu]=200 [mnist-mlp]=100 [wide]=30 [deep-mnist-tanh]=100)
declare -A SHAPE=(
  [deep-narrow-sigmoid]="--input 2 --layers 20x64 --classes 2 --activation sigmoid --batch-size 128"
  [deep-narrow-relu]="--input 2 --layers 20x64 --classes 2 --activation relu --batch-size 128"
  [mnist-mlp]="--input 784 --layers 512,512 --classes 10 --activation relu --batch-size 128"
  [wide]="--input 784 --layers 2048,2048 --classes 10 --activation relu --batch-size 256"
  [deep-mnist-tanh]="--input 784 --layers 10x256 --classes 10 --activation tanh --batch-size 64")
warmup() { if ((QUICK)); then echo 3; else echo "${WARMUP[$1]}"; fi; }
steps() { if ((QUICK)); then echo 5; else echo "${STEPS[$1]}"; fi; }

say() { printf '== %s\n' "$*" >&2; }

# --- Setup -------------------------------------------------------------------------------------
PACKAGES=(python3-torch python3-numpy libopenblas0-openmp libopenblas0-pthread)
if ! dpkg -s "${PACKAGES[@]}" >/dev/null 2>&1; then
  say "installing ${PACKAGES[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${PACKAGES[@]}" >/dev/null
fi
# PyTorch and numpy at their best: the OpenMP build of OpenBLAS first, so torch's OpenMP threads
# and OpenBLAS's share one pool instead of fighting over the cores, and OpenBLAS left to detect
# the CPU itself (OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset for these commands only).
OPENBLAS_OPENMP="$(dirname "$(dpkg -L libopenblas0-openmp | grep '/libopenblas\.so\.0$' | head -1)")"
peer() { # peer THREADS COMMAND...
  local threads=$1; shift
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE LD_LIBRARY_PATH="$OPENBLAS_OPENMP${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
    OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" "$@"
}

say "building (Release)"
build() { dotnet build "$1" -c Release -nologo -v quiet >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; exit 1; }; }
rm -rf "$OUT" && mkdir -p "$OUT"
build "$ROOT/src/Gradscope.Cli"
build "$HERE/GradscopeGemm"
TORCHSHARP_OK=1
build "$HERE/TorchSharpStep" # also marks libLibTorchSharp.so's GLIBCXX_3.4.32 weak (see README)
GRADSCOPE="$ROOT/src/Gradscope.Cli/bin/Release/net10.0/Gradscope.Cli"
GEMM="$HERE/GradscopeGemm/bin/Release/net10.0/GradscopeGemm"
TORCHSHARP="$HERE/TorchSharpStep/bin/Release/net10.0/linux-x64/TorchSharpStep"
if ldd "$(dirname "$TORCHSHARP")/libLibTorchSharp.so" 2>&1 | grep -v 'weak version' | grep -q 'not found'; then
  say "libLibTorchSharp.so still misses a dependency; skipping TorchSharp:"
  ldd "$(dirname "$TORCHSHARP")/libLibTorchSharp.so" 2>&1 | grep 'not found' >&2
  TORCHSHARP_OK=0
fi

{
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  /usr/bin/python3 -c 'import torch, numpy; print(f"torch {torch.__version__}, numpy {numpy.__version__}")'
  echo "rounds of training-step measurements: $ROUNDS"
  echo "gradscope bench warm-up/steps: $(for c in "${CONFIGS[@]}"; do printf '%s %s/%s; ' "$c" "$(warmup "$c")" "$(steps "$c")"; done)"
} | tee "$OUT/machine.txt" >&2

# --- Correctness first: same weights, same loss -----------------------------------------------
say "cross-check: PyTorch, TorchSharp and Gradscope on the same weights"
TS_ARG=-
((TORCHSHARP_OK)) && TS_ARG="$TORCHSHARP"
(cd "$HERE" && peer 1 /usr/bin/python3 crosscheck.py --work "$OUT/crosscheck" --torchsharp "$TS_ARG" --gradscope "$GRADSCOPE") \
  | tee "$OUT/crosscheck.txt" >&2 || true

# --- Training step -----------------------------------------------------------------------------
# Each round measures every tool on one configuration before the next, so the tools compared in a
# row of the table ran minutes apart at most, not the whole run apart.
for ((round = 1; round <= ROUNDS; round++)); do
  for config in "${CONFIGS[@]}"; do
    for monitor in off cheap; do
      say "round $round: gradscope $config monitor $monitor"
      # shellcheck disable=SC2086 # SHAPE holds several options on purpose
      "$GRADSCOPE" bench ${SHAPE[$config]} --monitor "$monitor" --warmup "$(warmup "$config")" --steps "$(steps "$config")" --json \
        >"$OUT/gradscope-$config-$monitor.round$round.json"
    done
    for threads in 1 2; do
      say "round $round: pytorch $config, $threads thread(s)"
      peer "$threads" /usr/bin/python3 "$HERE/pytorch_step.py" --threads "$threads" --configs "$config" \
        --warmup "$(warmup "$config")" --steps "$(steps "$config")" >>"$OUT/pytorch.jsonl"
      if ((TORCHSHARP_OK)); then
        say "round $round: torchsharp $config, $threads thread(s)"
        peer "$threads" "$TORCHSHARP" step --threads "$threads" --configs "$config" \
          --warmup "$(warmup "$config")" --steps "$(steps "$config")" >>"$OUT/torchsharp.jsonl"
      fi
    done
  done
done

# --- GEMM --------------------------------------------------------------------------------------
SIZES=64,128,256,512,1024,2048
((QUICK)) && SIZES=64,512
# In rounds too, and each size by Gradscope then OpenBLAS back to back, seconds apart: a single
# GEMM measurement on a busy host moved by 40% between runs (512, one thread: 43 to 78 GFLOP/s in
# three runs a minute apart). The tables pair the two measurements of a size within a round.
for ((round = 1; round <= ROUNDS; round++)); do
  for threads in 1 2; do
    say "round $round: gemm, $threads thread(s)"
    for size in ${SIZES//,/ }; do
      DOTNET_PROCESSOR_COUNT="$threads" "$GEMM" "$size" >>"$OUT/gemm-gradscope.jsonl"
      peer "$threads" /usr/bin/python3 "$HERE/openblas_gemm.py" --threads "$threads" --sizes "$size" >>"$OUT/gemm-openblas.jsonl"
    done
  done
done

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"
{
  cat "$OUT/machine.txt"
  echo
  python3 "$HERE/tables.py" "$OUT"
  echo
  tail -1 "$OUT/crosscheck.txt"
} | tee "$OUT/tables.txt"
