#!/usr/bin/env python3
# Used by docs/benchmarks.md ("forge:train vs llama-finetune"): runs llama-finetune (the arguments), timestamps each
# completed ggml progress-bar update on its stderr, prints the per-epoch times ggml reports (t=, 1 s resolution) and
# the monotonic times at which each epoch ended (epoch 2 = end2 - end1, sub-second). Writes stderr to /tmp/ft-last.log.
# runs a command, timestamps every chunk of its stderr that carries a ggml progress-bar update
import subprocess, sys, time, re
p = subprocess.Popen(sys.argv[1:], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
buf = b""; marks = []; pending = b""
t0 = time.monotonic()
while True:
    c = p.stderr.read1(65536)
    if not c: break
    now = time.monotonic()
    buf += c
    pending = pending + c
    end = 0
    for m in re.finditer(rb"train: \[[^\]]*\] data=(\d+)/(\d+) [^\r]*ETA=\d\d:\d\d:\d\d", pending):
        marks.append((now - t0, int(m.group(1)), int(m.group(2))))
        end = m.end()
    pending = pending[end:]
p.wait()
open("/tmp/ft-last.log","wb").write(buf)
# epoch ends: data==max
ends = [t for (t, d, n) in marks if d == n]
firsts = [t for (t, d, n) in marks]
print("epoch seconds (from ggml t=):", [x[1].decode() for x in re.findall(rb"data=(\d+)/\1 [^\r]*t=(\d\d:\d\d:\d\d)", buf)]); print("marks", len(marks), "epoch ends at", ["%.2f" % t for t in ends], "ndata_train", marks[-1][2] if marks else None, "rc", p.returncode)
