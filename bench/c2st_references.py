"""Against which real slices is a generated set told apart? For the pairs an ablation run saved (`bench/ablation.py
--pairs_dir DIR`, files ARM_seedN.pt, generators trained on the training slabs of the ablation's split), the
classifier two-sample test against the training slices (what the generator learnt from), against all real slices (as
`evaluate` does) and against the held-out slabs only. Run by hand, one core (about 1 min per file at 64 px):

    python bench/c2st_references.py runs/y0/pairs/Y_seed0.pt runs/q0/pairs/Q_seed0.pt --output bench/c2st_references.md
"""
import argparse, datetime, json, os, platform, re, sys, time
from pathlib import Path
import numpy as np, torch
from alphagan_nb.demo_data import load_mni152
from alphagan_nb.evaluation import c2st, slab_split, _concat

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('files', nargs='+', help='ARM_seedN.pt files written by bench/ablation.py --pairs_dir')
    p.add_argument('--splits', type=int, default=5, help='C2ST splits per test')
    p.add_argument('--output', default='bench/c2st_references.md')
    a = p.parse_args()
    real = load_mni152(size=64); train, held = slab_split(real, holdout=0.25, slab=8, gap=2, seed=0)   # the ablation's slabs
    refs = {'training slices': train, 'all real slices': _concat(train, held), 'held-out slabs': held}
    t0, res = time.perf_counter(), {}
    for f in map(Path, a.files):
        d = torch.load(f, weights_only=True); seed = int(re.search(r'seed(\d+)', f.stem)[1])
        for name, R in refs.items():
            r = c2st(d['images'], d['masks'], R.images, R.masks, splits=a.splits, seed=seed)
            res[f"{f.stem}|{name}"] = {'n_per_class': r['n_per_class'], **{k: r[k]['accuracy'] for k in ('image', 'pair', 'mask')}}
            print(f.stem, name, res[f"{f.stem}|{name}"], flush=True)
    arms = sorted({k.split('|')[0].split('_seed')[0] for k in res}, key=lambda s: 'YQ'.find(s))
    ms = lambda v: f"{np.mean(v):.2f} ± {np.std(v, ddof=1):.2f}" if len(v) > 1 else f"{v[0]:.2f}"
    L = [f"## C2ST of generated pairs against three sets of real slices ({datetime.date.today()})", '',
         f"{a.splits} classifiers per test, mean ± std over the runs' files. Machine: {platform.processor() or platform.machine()}, "
         f"{os.cpu_count()} CPUs, torch {torch.__version__} with {torch.get_num_threads()} thread(s). Total {(time.perf_counter() - t0) / 60:.1f} min.", '',
         '| pairs | runs | against | per class | C2ST images | C2ST pairs | C2ST masks |', '|---|---|---|---|---|---|---|']
    for arm in arms:
        for name in refs:
            rs = [v for k, v in res.items() if k.split('_seed')[0] == arm and k.endswith('|' + name)]
            L.append(f"| ({arm}) | {len(rs)} | {name} | {rs[0]['n_per_class']} | " + ' | '.join(ms([r[k] for r in rs]) for k in ('image', 'pair', 'mask')) + ' |')
    L += ['', f"Command: `python bench/c2st_references.py {' '.join(sys.argv[1:])}`", '']
    Path(a.output).write_text('\n'.join(L)); Path(a.output).with_suffix('.json').write_text(json.dumps(res, indent=1))
    print('\n'.join(L))

if __name__ == '__main__': main()
