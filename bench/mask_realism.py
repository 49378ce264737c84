"""Why generated pairs are told apart: the masks alone. For the pairs an ablation run saved (`bench/ablation.py
--pairs_dir DIR`, files ARM_seedN.pt), the classifier two-sample test on the masks alone and on the images alone,
against the held-out real slices of the ablation's slab split, and how much the masks fold (`boundary_density`,
the share of neighbouring pixel pairs in different classes), generated against real. Run by hand:

    python bench/mask_realism.py --pairs_dir runs/abl_crop/pairs --output bench/mask_realism.md   # ~30 s per file, one core
"""
import argparse, datetime, json, platform, re, os
from pathlib import Path
import numpy as np, torch
from alphagan_nb.data import load_mni152
from alphagan_nb.evaluation import c2st, boundary_density, slab_split

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--pairs_dir', required=True, help='folder of ARM_seedN.pt files written by bench/ablation.py --pairs_dir')
    p.add_argument('--splits', type=int, default=5, help='C2ST splits per file')
    p.add_argument('--output', default='bench/mask_realism.md', help='markdown table (a .json beside it)')
    a = p.parse_args()
    files = sorted(Path(a.pairs_dir).glob('*_seed*.pt'))
    if not files: raise SystemExit(f"no ARM_seedN.pt files in {a.pairs_dir}")
    real = load_mni152(size=64)
    _, held = slab_split(real, holdout=0.25, slab=8, gap=2, seed=0)
    res = {'real': {'boundary': boundary_density(held.masks).mean().item(), 'n': len(held)}, 'runs': {}}
    for f in files:
        d = torch.load(f)
        c = c2st(d['images'], d['masks'], held.images, held.masks, splits=a.splits)
        r = {'c2st_mask': c['mask']['accuracy'], 'c2st_image': c['image']['accuracy'], 'c2st_pair': c['pair']['accuracy'],
             'boundary': boundary_density(d['masks']).mean().item(), 'steps': d.get('info', {}).get('steps')}
        res['runs'][f.stem] = r
        print(f.stem, {k: (round(v, 3) if isinstance(v, float) else v) for k, v in r.items()}, flush=True)
    arms = sorted({re.sub(r'_seed\d+$', '', k) for k in res['runs']})
    ms = lambda v: f"{np.mean(v):.3f} ± {np.std(v, ddof=1):.3f}" if len(v) > 1 else f"{v[0]:.3f}"
    L = [f"## Masks alone ({datetime.date.today()})", '',
         f"Pairs from `{a.pairs_dir}` against the {len(held)} held-out real slices (slab split of the ablation), C2ST over {a.splits} splits per run, "
         f"mean ± std over runs. Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__}.", '',
         f"Real masks: {res['real']['boundary']:.3f} class boundaries per neighbouring pixel pair.", '',
         '| arm | runs | C2ST masks alone ↓ | C2ST images alone ↓ | boundaries per pixel pair (real ' + f"{res['real']['boundary']:.3f}) |", '|---|---|---|---|---|']
    for arm in arms:
        rs = [v for k, v in res['runs'].items() if re.sub(r'_seed\d+$', '', k) == arm]
        L.append(f"| {arm} | {len(rs)} | {ms([r['c2st_mask'] for r in rs])} | {ms([r['c2st_image'] for r in rs])} | {ms([r['boundary'] for r in rs])} |")
    L += ['', f"Command: `python bench/mask_realism.py --pairs_dir {a.pairs_dir} --output {a.output}`", '']
    Path(a.output).write_text('\n'.join(L))
    Path(a.output).with_suffix('.json').write_text(json.dumps(res, indent=1))
    print('\n'.join(L))

if __name__ == '__main__': main()
