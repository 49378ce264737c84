"""Labels sampled from the generator's mask channels, not their argmax. The argmax of a smooth field of class scores
has smoother class boundaries than a real tissue mask, whose boundaries carry anatomy finer than a pixel (a real
64 px mask shrunk to 48 px and grown back is told from real ones almost every time). Sampling each pixel's class
from its scores, with noise that is correlated over about a pixel, draws boundaries as ragged as the scores allow.

For the pairs an ablation run saved with their raw mask channels (`bench/ablation.py --pairs_dir DIR`, files
ARM_seedN.pt with `soft_masks`), `evaluate` (masks, train-on-synthetic Dice, C2ST) on the masks as drawn and
sampled with noise amplitude `tau` and correlation `sigma` (px). Run by hand, one core:

    python bench/mask_sampling.py runs/s0/pairs/Y_seed0.pt --grid 0:0,0.3:0,0.3:1,0.6:1 --output bench/mask_sampling.md
"""
import argparse, datetime, json, math, os, platform, sys, time
from pathlib import Path
import numpy as np, torch
sys.path.insert(0, str(Path(__file__).parent))
from ablation import summarise, jsonable
from alphagan_nb.demo_data import load_mni152
from alphagan_nb.evaluation import evaluate, slab_split, boundary_density
from alphagan_nb.singan_generator import hard_masks
from alphagan_nb.train_singan import blur_pairs

def sample_labels(soft, tau, sigma, seed=0):
    "One-hot labels: argmax of the mask channels plus `tau` times Gumbel noise blurred over `sigma` px (`blur_pairs`; unit std)."
    if tau <= 0: return hard_masks(soft)
    g = torch.Generator().manual_seed(seed)
    u = torch.rand(soft.shape, generator=g).clamp(1e-6, 1 - 1e-6)
    G = blur_pairs(-torch.log(-torch.log(u)), sigma, torch.ones(len(u)))
    G = (G - G.mean((2, 3), keepdim=True)) / G.std((2, 3), keepdim=True)
    return hard_masks(soft + tau * G)

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('files', nargs='+', help='ARM_seedN.pt files with soft_masks, written by bench/ablation.py --pairs_dir')
    p.add_argument('--grid', default='0:0,0.3:1', help='tau:sigma pairs, comma separated (0:0 = argmax, as drawn)')
    p.add_argument('--metrics', default='swd,diversity,masks,usefulness,c2st', help='evaluate metrics')
    p.add_argument('--output', default='bench/mask_sampling.md', help='markdown table (a .json beside it)')
    a = p.parse_args()
    grid = [tuple(float(v) for v in g.split(':')) for g in a.grid.split(',')]
    real = load_mni152(size=64); train, held = slab_split(real, holdout=0.25, slab=8, gap=2, seed=0)   # the ablation's slabs
    res, t_all = {}, time.perf_counter()
    for f in map(Path, a.files):
        d = torch.load(f, weights_only=True); seed = int(f.stem.split('seed')[-1])
        for tau, sigma in grid:
            m = sample_labels(d['soft_masks'], tau, sigma, seed=seed)
            t = time.perf_counter()
            r = evaluate((d['images'], m), train, held_out=held, seed=seed, metrics=tuple(a.metrics.split(',')), progress=False)
            s = {k: v for k, v in summarise(r).items() if not (isinstance(v, float) and math.isnan(v))}
            s['boundary'] = boundary_density(m).mean().item(); s['agree'] = (m.argmax(1) == d['masks'].argmax(1)).float().mean().item()
            res[f"{f.stem}|{tau}|{sigma}"] = s
            print(f.stem, tau, sigma, {k: round(v, 3) for k, v in s.items()}, f"{time.perf_counter() - t:.0f} s", flush=True)
    keys = [('c2st_mask', 'C2ST masks ↓'), ('c2st_pair', 'C2ST pairs ↓'), ('c2st_pair_half', 'C2ST pairs, half ↓'), ('c2st_mask_half', 'C2ST masks, half ↓'),
            ('mask_w2', 'mask-fit W2 ↓'), ('fragmented', 'fragmented'), ('ratio', 'TSTR ratio ↑'), ('ratio_mixed', 'real+synth / real'),
            ('boundary', 'boundaries per pixel pair'), ('agree', 'pixels as drawn')]
    arms = sorted({k.split('|')[0].split('_seed')[0] for k in res})
    ms = lambda v: '–' if not v else (f"{np.mean(v):.3f} ± {np.std(v, ddof=1):.3f}" if len(v) > 1 else f"{v[0]:.3f}")
    L = [f"## Mask labels sampled from the mask channels ({datetime.date.today()})", '',
         f"Mean ± std over the runs' files. Real held-out: boundaries per pixel pair {boundary_density(held.masks).mean():.3f}. "
         f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__} with {torch.get_num_threads()} thread(s). "
         f"Total {(time.perf_counter() - t_all) / 60:.1f} min.", '',
         '| pairs | tau | sigma (px) | runs | ' + ' | '.join(h for _, h in keys) + ' |', '|---|---|---|---|' + '---|' * len(keys)]
    for arm in arms:
        for tau, sigma in grid:
            rs = [v for k, v in res.items() if k.split('|')[0].split('_seed')[0] == arm and k.endswith(f'|{tau}|{sigma}')]
            L.append(f"| ({arm}) | {tau:g} | {sigma:g} | {len(rs)} | " + ' | '.join(ms([r[k] for r in rs if k in r]) for k, _ in keys) + ' |')
    L += ['', f"Command: `python bench/mask_sampling.py {' '.join(sys.argv[1:])}`", '']
    Path(a.output).write_text('\n'.join(L)); Path(a.output).with_suffix('.json').write_text(json.dumps(jsonable(res), indent=1))
    print('\n'.join(L))

if __name__ == '__main__': main()
