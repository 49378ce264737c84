"""Where a classifier finds the difference between generated and real slices: one pyramid trained on the training slabs
of the MNI152 demo at 64 px (the ablation's split and wall-clock budget), then the classifier two-sample test
(`evaluation.c2st`, against all real slices) of

- `full`: free samples of the whole pyramid (as `generate` draws them);
- `from_real_16`, `from_real_32`: the refiners fed the real slices at 16 or 32 px (`generate_from_coarse`), so that
  only the scales above that size are judged;
- `coarse16`: the coarsest scale's 16 px samples against the real slices at 16 px, both upsampled to 64 px alike
  (images only);
- `gen32`: refiner 1's 32 px output from the real 16 px slices against the real 32 px slices, both upsampled alike.

Run by hand (not part of the tests), one run per core with nothing else running:

    OMP_NUM_THREADS=1 taskset -c 0 python bench/realism_by_scale.py --name q --budget 600 --seed 0
    OMP_NUM_THREADS=1 taskset -c 1 python bench/realism_by_scale.py --name na03 --set noise_amp_weight=0.3
    python bench/realism_by_scale.py --name q --budget 600 --figure nbs/assets/realism_by_scale.png

`--set KEY=VALUE` changes a `TrainConfig` setting (repeatable); `--mixed F` builds a share F of every refiner's
critic fakes on samples of the frozen coarser scales instead of real coarser slices (an experiment, not a package
setting). Appends one JSON line per run to `--output`.
"""
import argparse, ast, json, sys, tempfile, time
from pathlib import Path

import torch, torch.nn.functional as F

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fastcore.basics import patch
from alphagan_nb.demo_data import load_mni152
from alphagan_nb.train_singan import Trainer, TrainConfig
from alphagan_nb.evaluation import slab_split, c2st
from alphagan_nb.singan_generator import generate, hard_masks, resize_pair

def value(s):
    try: return ast.literal_eval(s)
    except (ValueError, SyntaxError): return s

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--name', default='default', help='name of the run in the output')
    p.add_argument('--budget', type=float, default=600, help='training seconds (default 600)')
    p.add_argument('--split', default='0.5,0.2,0.3', help='shares of the budget of the three scales')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--set', action='append', default=[], help='KEY=VALUE: a TrainConfig setting (repeatable)')
    p.add_argument('--mixed', type=float, default=0.0, help='share of critic fakes refined from pyramid samples')
    p.add_argument('--num_samples', type=int, default=120)
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--figure', default=None, help='also draw real, from-real-16 and generated slices into this PNG')
    p.add_argument('--output', default=str(ROOT/'runs'/'realism_by_scale.jsonl'))
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    extra = {k: value(v) for k, v in (kv.split('=', 1) for kv in args.set)}
    if args.mixed:
        @patch
        def refine_inputs(self:Trainer, k:int, n:int):
            m = int(round(n * args.mixed))
            return torch.cat([self.batch(k - 1, n - m)[0], self.frozen_prev(k, m)])
    real = load_mni152(size=64)
    train, held = slab_split(real, holdout=0.25, slab=8, gap=2, seed=0)
    split = [float(v) for v in args.split.split(',')]
    per = ','.join(f'{args.budget * f / sum(split):.3f}' for f in split)
    with tempfile.TemporaryDirectory() as wd:
        cfg = TrainConfig(demo=True, output_dir=wd + '/run', steps_per_scale='1000000', time_per_scale=per, seed=args.seed, threads=args.threads, **extra)
        tr = Trainer(cfg, data=train, quiet=True); t0 = time.time(); model = tr.fit().eval(); tt = time.time() - t0
    allr, allm = torch.cat([train.images, held.images]), torch.cat([train.mask_tensor(), held.mask_tensor()])
    pairs = torch.cat([allr, allm], 1)
    up = lambda x: F.interpolate(x, size=64, mode='bilinear', align_corners=False)
    def c(i, m=None, ri=allr, rm=allm):
        r = c2st(i, None if m is None else hard_masks(m.float()), ri, None if m is None else rm, seed=args.seed)
        return [round(r['image']['accuracy'], 3)] + ([round(r['pair']['accuracy'], 3)] if m is not None else [])
    res = {'name': args.name, 'settings': extra, 'mixed': args.mixed, 'seed': args.seed, 'budget': args.budget,
           'steps': tr.steps_done, 'train_seconds': round(tt), 'cpu': torch.backends.cpu.get_cpu_capability()}
    imgs, masks = generate(model, args.num_samples, seed=1000 + args.seed, progress=False)
    res['full'] = c(imgs, masks)
    with torch.no_grad():
        fr = {k: model.generate_from_coarse(resize_pair(pairs, model.sizes[k - 1], 1), k) for k in (1, 2)}
        g16 = torch.cat(model.forward(model.sample_z(args.num_samples), to_scale=0), 1)
        r16, r32 = resize_pair(pairs, 16, 1), resize_pair(pairs, 32, 1)
        g32 = model._refine(r16, 1, 1, None, 1.0)[-1]
    for k, (i2, m2) in fr.items(): res[f'from_real_{model.sizes[k - 1]}'] = c(i2, m2)
    res['coarse16'] = c(up(g16[:, :1]), ri=up(r16[:, :1]))
    res['gen32'] = c(up(g32[:, :1]), ri=up(r32[:, :1]))
    print(json.dumps(res), flush=True)
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    with open(args.output, 'a') as f: f.write(json.dumps(res) + '\n')
    if args.figure:
        import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt
        n, idx = 12, torch.linspace(0, len(real) - 1, 12).round().long()
        with torch.no_grad(): from16, _ = model.generate_from_coarse(resize_pair(torch.cat([real.images, real.mask_tensor()], 1)[idx], 16, 1), 1)
        rows = [('real', real.images[idx]), ('refiners fed the real 16 px slice', from16), ('generated', imgs[:n])]
        fig, ax = plt.subplots(3, n, figsize=(1.5 * n, 4.8))
        for r, (title, row) in enumerate(rows):
            for j in range(n): ax[r, j].imshow(row[j, 0], cmap='gray', vmin=-1, vmax=1); ax[r, j].axis('off')
            ax[r, 0].set_title(title, loc='left', fontsize=10)
        fig.savefig(args.figure, dpi=70, bbox_inches='tight')

if __name__ == '__main__':
    main()
