"""Median seconds per training step at each scale of a short run of the quick preset on the MNI152 demo slices, one
thread: the number to compare between two versions of the package, run in turns on the same idle core. Run by hand:

    git worktree add /tmp/before <commit>          # the version to compare against
    for r in 1 2; do
      OMP_NUM_THREADS=1 PYTHONPATH=/tmp/before taskset -c 1 python bench/step_rate.py --tag before
      OMP_NUM_THREADS=1 taskset -c 1 python bench/step_rate.py --tag after
    done

Prints one JSON line per run: the tag, the package file it imported (to check which version ran) and the median
step time per scale (steps 6 and later of each scale, so that start-up costs are left out).
"""
import argparse, json, statistics as st, tempfile, time
from pathlib import Path
import sys

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path: sys.path.append(str(ROOT))   # after PYTHONPATH: a version named there wins

import alphagan_nb
from alphagan_nb.train_singan import Trainer, TrainConfig
from alphagan_nb.callbacks import Callback

class StepTimes(Callback):
    "The clock after every step, per scale."
    def __init__(self): self.t = {}
    def after_step(self, t): self.t.setdefault(t.scale, []).append(time.perf_counter())

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--tag', default='run', help='a name for this run in the output')
    p.add_argument('--steps', default='80,40,20', help='generator steps per scale')
    args = p.parse_args()
    cb = StepTimes()
    tr = Trainer(TrainConfig(demo=True, steps_per_scale=args.steps, threads=1, refine_warmup=0.0, checkpoint_every=10**6,
                             output_dir=tempfile.mkdtemp()), quiet=True, cbs=[cb])
    tr.fit()
    med = {k: round(st.median([b - a for a, b in zip(v[5:], v[6:])]), 4) for k, v in cb.t.items()}
    print(json.dumps({'tag': args.tag, 'package': alphagan_nb.__file__, 'median_step_s': med}), flush=True)

if __name__ == '__main__': main()
