"""Distributed training on this CPU: steps per second of a 32 px scale with 1 and 2 processes (gloo, one thread each).

Trains the 32 px scale of a two-scale pyramid (16 -> 32 px, batch 16, the default widths and 2 critic updates per
step, as in the demo preset) for `--steps` steps, in one process and then in two (each computing 8 of every 16
samples, each pinned to a core of its own), `--repeats` times each, alternating. Reports steps per second over the
steps after `--warmup` (from the run's own log), the speed-up of two processes over one, the scaling efficiency
(speed-up / 2), and how much of a step each process spent in collective operations (communication plus waiting
for the other). Run by hand:  python bench/distributed.py   (about 2 minutes on a 2-core CPU)
"""
import argparse, csv, datetime, json, os, platform, subprocess, tempfile, time
from pathlib import Path
import torch
import torch.distributed as dist
import alphagan_nb.distributed as D
from alphagan_nb.callbacks import Callback
from alphagan_nb.train_singan import Trainer, TrainConfig
from alphagan_nb.demo_data import load_mni152


class PinCore(Callback):
    "Pin this process to one core: process r of the job to core r (one process alone: to `core`), and use one thread."
    order = -100
    def __init__(self, core=None): self.core = core
    def before_fit(self, t):
        core = self.core if self.core is not None else dist.get_rank() % os.cpu_count()
        os.sched_setaffinity(0, {core}); torch.set_num_threads(1)


class CollectiveClock(Callback):
    "Seconds this process spends inside collective operations during the measured steps; written to `path`_rank<r>.json."
    order = -90
    def __init__(self, path, warmup): self.path, self.warmup, self.spent, self.on = path, warmup, 0.0, False
    def before_fit(self, t):
        inner = D.run_collective
        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try: return inner(*args, **kwargs)
            finally:
                if self.on: self.spent += time.perf_counter() - t0
        D.run_collective = timed   # DistributedSync calls the module's function
    def after_step(self, t): self.on = t.scale == 1 and t.step >= self.warmup
    def after_fit(self, t):
        Path(f"{self.path}_rank{dist.get_rank()}.json").write_text(json.dumps({'seconds_in_collectives': self.spent}))


def cfg_for(out, steps, threads=1):
    return TrainConfig(demo=True, num_scales=2, min_size=16, max_size=32, batch_size=16, steps_per_scale=f'1,{steps}', refine_warmup=0.25,
                       output_dir=str(out), threads=threads, checkpoint_every=10**6, seed=0, device='cpu')


def steps_per_second(out, warmup, steps):
    rows = [r for r in csv.DictReader(open(Path(out)/'log.csv')) if r['scale'] == '1']
    return (steps - warmup) / (float(rows[steps - 1]['seconds']) - float(rows[warmup - 1]['seconds']))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--steps', type=int, default=80); ap.add_argument('--warmup', type=int, default=10)
    ap.add_argument('--repeats', type=int, default=2); ap.add_argument('--out', default=None, help='markdown file for the table')
    a = ap.parse_args()
    data = load_mni152(size=32)
    tmp = Path(tempfile.mkdtemp())
    load = os.getloadavg()[0]
    one, two, coll = [], [], []
    for rep in range(a.repeats):
        o = tmp/f'one{rep}'
        Trainer(cfg_for(o, a.steps), data=data, quiet=True, cbs=[PinCore(core=os.cpu_count() - 1)]).fit()
        one.append(steps_per_second(o, a.warmup, a.steps))
        o = tmp/f'two{rep}'
        D.spawn_training(cfg_for(o, a.steps), nprocs=2, data=data, quiet=True,
                         cbs=[PinCore(), CollectiveClock(str(tmp/f'clock{rep}'), a.warmup)])
        two.append(steps_per_second(o, a.warmup, a.steps))
        coll.append([json.loads(Path(f"{tmp}/clock{rep}_rank{r}.json").read_text())['seconds_in_collectives'] for r in range(2)])
        print(f"repeat {rep}: 1 process {one[-1]:.2f} steps/s, 2 processes {two[-1]:.2f} steps/s", flush=True)
    cpu = next((l.split(':', 1)[1].strip() for l in subprocess.run(['lscpu'], capture_output=True, text=True).stdout.splitlines()
                if l.startswith('Model name')), platform.processor())
    s1, s2 = sum(one) / len(one), sum(two) / len(two)
    n = a.steps - a.warmup
    share = [sum(c[r] for c in coll) / len(coll) / n * s2 for r in range(2)]   # fraction of a step in collectives
    md = [f"Measured {datetime.date.today()} on {cpu} ({os.cpu_count()} cores, {torch.backends.cpu.get_cpu_capability()}), "
          f"torch {torch.__version__}, gloo, one thread per process; load average before the run {load:.2f}.",
          f"32 px scale of the 16 -> 32 px pyramid, batch 16 (8 per process with 2), steps {a.warmup + 1}..{a.steps} of {a.repeats} runs each.", '',
          '| processes | steps/s (each run) | mean steps/s | speed-up | scaling efficiency | share of a step in collectives |',
          '|---|---|---|---|---|---|',
          f"| 1 | {', '.join(f'{x:.2f}' for x in one)} | {s1:.2f} | 1.00x | 100 % | - |",
          f"| 2 | {', '.join(f'{x:.2f}' for x in two)} | {s2:.2f} | {s2 / s1:.2f}x | {100 * s2 / s1 / 2:.0f} % | "
          f"process 0: {100 * share[0]:.0f} %, process 1: {100 * share[1]:.0f} % |"]
    print('\n'.join(md))
    if a.out: Path(a.out).write_text('\n'.join(md) + '\n')


if __name__ == '__main__': main()
