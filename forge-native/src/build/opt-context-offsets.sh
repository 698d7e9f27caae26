#!/usr/bin/env bash
# Prints the offsets of the private struct ggml_opt_context that dev.mcpforge.engine.train.GradientReset reads
# (grad_accs, iter, opt_period, opt_i). Re-run whenever the pinned llama.cpp release changes, and update the
# constants in GradientReset. Usage: opt-context-offsets.sh <llama.cpp source checkout of the release>
# (the source is in node-llama-cpp's package: llama/gitRelease.bundle, a git bundle to clone).
# Needs g++ (libstdc++, x86-64: the layout of std::mt19937 and std::vector matters).
set -euo pipefail
src="${1:?usage: $0 <llama.cpp source dir>}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
{
  printf '#include "ggml.h"\n#include "ggml-backend.h"\n#include "ggml-opt.h"\n#include <random>\n#include <vector>\n#include <cstddef>\n#include <cstdio>\n'
  # the struct definition, copied verbatim from the release
  sed -n '/^struct ggml_opt_context {/,/^};/p' "$src/ggml/src/ggml-opt.cpp"
  cat <<'CPP'
int main() {
    printf("sizeof %zu grad_accs %zu grad_m %zu grad_v %zu iter %zu opt_period %zu opt_i %zu\n",
           sizeof(ggml_opt_context), offsetof(ggml_opt_context, grad_accs), offsetof(ggml_opt_context, grad_m),
           offsetof(ggml_opt_context, grad_v), offsetof(ggml_opt_context, iter),
           offsetof(ggml_opt_context, opt_period), offsetof(ggml_opt_context, opt_i));
}
CPP
} > "$work/off.cpp"
g++ -std=c++17 -w -I"$src/ggml/include" "$work/off.cpp" -o "$work/off"
"$work/off"
