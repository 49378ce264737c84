"""Training steps on a CPU shared with another busy process: torch thread settings against each other.

Trains the 32 px scale of a two-scale pyramid for 60 steps in each setting and reports the median-free mean time of
steps 21..60, with the fp32 matmul ceiling of the same run and the CPU capability torch uses. Run by hand, with
nothing else running and OMP_NUM_THREADS unset:  python bench/contention.py   (about 5 minutes on a 2-core CPU)
"""
import torch, time, subprocess, sys, os, tempfile, csv
from alphagan_nb.train_singan import Trainer, TrainConfig
from alphagan_nb.demo_data import load_mni152
data = load_mni152(size=32)
def ceiling():
    torch.set_num_threads(2); a = torch.randn(2048, 2048); b = torch.randn(2048, 2048)
    for _ in range(2): a @ b
    t = time.perf_counter(); [a @ b for _ in range(8)]; return 2 * 2048**3 * 8 / (time.perf_counter() - t) / 1e9
def run(threads, busy):
    torch.set_num_threads(2)
    p = subprocess.Popen([sys.executable, '-c', 'while True: pass']) if busy else None
    try:
        d = tempfile.mkdtemp()
        t = Trainer(TrainConfig(demo=True, num_scales=2, min_size=16, max_size=32, steps_per_scale='1,60', refine_warmup=0.25, output_dir=d, threads=threads), data=data, quiet=True)
        t.fit()
        rows = [r for r in t.log() if r['scale'] == 1]
        s = (rows[-1]['seconds'] - rows[19]['seconds']) / (len(rows) - 20)   # steps 21..60 of the 32 px scale
        return s, torch.get_num_threads()
    finally:
        if p: p.kill()
print(f"CPU capability {torch.backends.cpu.get_cpu_capability()}, fp32 matmul ceiling (2 threads) {ceiling():.0f} GFLOP/s")
for name, th, busy in [('alone, 2 threads', 2, False), ('beside a busy process, 2 threads', 2, True), ('beside a busy process, 1 thread', 1, True), ('beside a busy process, threads=-1 (ThreadTuner)', -1, True), ('alone, threads=-1 (ThreadTuner)', -1, False)]:
    s, n = run(th, busy)
    print(f"{name:50s}: {s*1000:.0f} ms per 32 px step (threads at the end: {n})", flush=True)
