"""How well does the classifier two-sample test tell real slices from real slices? On one MNI152 head, slices held
out in whole slabs (`evaluation.slab_split`, no gap) against the rest of the head, for several slab draws and held-out
shares; and random halves of the slices (neighbouring slices on both sides) for contrast. Image, pair and mask
tests, `--splits` classifiers each. Run by hand, one core (about 45 s per row at 64 px):

    python bench/c2st_real_floor.py --seeds 5 --holdout 0.33,0.5 --output bench/c2st_real_floor.md
"""
import argparse, datetime, json, os, platform, sys, time
from pathlib import Path
import numpy as np, torch
from alphagan_nb.demo_data import load_mni152
from alphagan_nb.evaluation import c2st, slab_split

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--size', type=int, default=64)
    p.add_argument('--seeds', type=int, default=5, help='slab draws per held-out share')
    p.add_argument('--holdout', default='0.33,0.5', help='held-out shares, comma separated')
    p.add_argument('--splits', type=int, default=10, help='C2ST splits (classifiers) per test')
    p.add_argument('--output', default='bench/c2st_real_floor.md')
    a = p.parse_args()
    real = load_mni152(size=a.size); t0 = time.perf_counter(); rows = []
    def run(name, x, y, seed):
        r = c2st(x.images, x.masks, y.images, y.masks, splits=a.splits, seed=seed)
        rows.append({'set': name, 'seed': seed, 'n_per_class': r['n_per_class'], **{k: r[k]['accuracy'] for k in ('image', 'pair', 'mask')}})
        print(rows[-1], flush=True)
    for h in map(float, a.holdout.split(',')):
        for s in range(a.seeds):
            rest, held = slab_split(real, holdout=h, slab=8, gap=0, seed=s)
            run(f'slabs held out ({h:g} of the slices) against the rest', held, rest, s)
    for s in range(a.seeds):
        perm = torch.randperm(len(real), generator=torch.Generator().manual_seed(s)).tolist()
        run('random halves (neighbouring slices on both sides)', real.subset(perm[:len(real) // 2]), real.subset(perm[len(real) // 2:]), s)
    L = [f"## C2ST of real slices against real slices ({datetime.date.today()})", '',
         f"MNI152 tissue pairs at {a.size} px, {len(real)} slices; {a.splits} classifiers per test; mean ± std over {a.seeds} draws. "
         f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__} with {torch.get_num_threads()} thread(s). "
         f"Total {(time.perf_counter() - t0) / 60:.1f} min.", '',
         '| real set against real set | per class | C2ST images | C2ST pairs | C2ST masks |', '|---|---|---|---|---|']
    for name in dict.fromkeys(r['set'] for r in rows):
        rs = [r for r in rows if r['set'] == name]
        L.append(f"| {name} | {int(np.mean([r['n_per_class'] for r in rs]))} | " +
                 ' | '.join(f"{np.mean([r[k] for r in rs]):.2f} ± {np.std([r[k] for r in rs], ddof=1):.2f}" for k in ('image', 'pair', 'mask')) + ' |')
    L += ['', f"Command: `python bench/c2st_real_floor.py {' '.join(sys.argv[1:])}`", '']
    Path(a.output).write_text('\n'.join(L)); Path(a.output).with_suffix('.json').write_text(json.dumps(rows, indent=1))
    print('\n'.join(L))

if __name__ == '__main__': main()
