"""Small deep grey-matter structures at 128 px: real-trained against synthetic-trained U-Net Dice per class, over seeds.
Run by hand (not part of the tests):

    OMP_NUM_THREADS=1 taskset -c 1 python bench/small_structures.py --threads 1
                              # the table: 3 seeds; 87 minutes on one core shared with other jobs (see below)
    OMP_NUM_THREADS=1 taskset -c 1 python bench/small_structures.py --threads 1 --smoke
                              # a check of the script in about a minute (numbers meaningless; writes to /tmp)

For each seed: the MNI152 slices with the deep grey-matter masks (`load_mni152(size=128, masks='deep_gm')`: caudate,
putamen, pallidum, thalamus, brain-stem; only slices showing a structure) are split by `evaluation.slab_split` (25 %
held out in whole slabs of 8 with a gap of 2, split seed 0, as in `bench/ablation.py` and the evaluation notebook);
a 4-scale pyramid 16 -> 32 -> 64 -> 128 px (the full model: attention, joint image + mask generation) trains on the
training slabs only, for a fixed number of generator steps per scale (steps, not time, so that a shared core changes
the time and not the result); then `evaluate` scores its generated pairs against the real training and held-out
slices. Reported per class, mean +- std over seeds: the held-out Dice of U-Nets trained on the real training pairs,
on the generated pairs, and on both (`usefulness`), the ratio synthetic / real, and the structure statistics of the
generated masks (`structure_stats`: share of slices showing the structure, mean area, distance of its centroid to
the nearest real training slice's, each beside the real value). Writes a markdown table and a JSON file with every
run's full `evaluate` result beside it, and a figure of real and generated 128 px pairs (`--figure`).

Steps per scale: 600 / 300 / 100 / 30 at batch 16. Measured on the 2-core Xeon (one thread, one core) a step costs
about 0.15 s at 16 px, 0.49 s at 32 px, 1.7 s at 64 px and 6.3 s at 128 px, so the finest scale gets few steps: about 10 minutes of
training per seed on a core of its own (from those step times), and a few minutes of evaluation (three 128 px U-Nets
of 600 updates, C2ST). The table in bench/small_structures.md (2026-11-30) took 87.5 minutes because the core was
shared with other jobs for the whole run (this process got about 40-50 % of it): training 17-22 minutes per seed,
evaluation 9-11 minutes per seed.
"""
import argparse, datetime, json, math, os, platform, sys, tempfile, time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alphagan_nb.demo_data import load_mni152
from alphagan_nb.plots import show_pairs
from alphagan_nb.train_singan import Trainer, TrainConfig, TrainingDiverged
from alphagan_nb.evaluation import evaluate, slab_split, jsonable, BASELINE_MIN_DICE, ALL_METRICS
from alphagan_nb.singan_generator import generate
from alphagan_nb.torch_utils import param_count

SMOKE = dict(steps='20,10,4,2', seeds=1, num_samples=8, unet_min_steps=30, unet_epochs=1, c2st_splits=1,
             output='/tmp/small_structures_smoke.md', figure='/tmp/small_structures_smoke.png')

def cpu_model() -> str:
    "The CPU's model name (from /proc/cpuinfo where there is one)."
    try:
        for line in open('/proc/cpuinfo'):
            if line.startswith('model name'): return line.split(':', 1)[1].strip()
    except OSError: pass
    return platform.processor() or platform.machine()

def machine() -> dict:
    "CPU model, instruction set torch uses, cores, threads, torch version."
    aff = sorted(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else None
    return {'cpu': cpu_model(), 'isa': torch.backends.cpu.get_cpu_capability(), 'cpus': os.cpu_count(), 'pinned_cores': aff,
            'torch': torch.__version__, 'threads': torch.get_num_threads(), 'python': platform.python_version()}

def train_pyramid(seed, train, args, workdir):
    "Train the 4-scale 16 -> 128 px pyramid on the training slabs for a fixed number of steps per scale."
    cfg = TrainConfig(demo=True, demo_masks='deep_gm', num_scales=4, min_size=16, max_size=128, steps_per_scale=args.steps, refine_warmup=0.25, lr_decay_at=0.8,
                      batch_size=args.batch_size, seed=seed, device=args.device, threads=args.threads or 0,
                      output_dir=str(workdir / f'seed{seed}'))
    tr = Trainer(cfg, data=train, quiet=True)
    t0 = time.perf_counter()
    model = tr.fit()
    log = tr.log()
    secs = [max([r['seconds'] for r in log if int(r['scale']) == k], default=math.nan) for k in range(cfg.num_scales)]
    return model, {'train_seconds': round(time.perf_counter() - t0, 1), 'steps': tr.steps_done, 'scale_seconds': [round(s, 1) for s in secs],
                   'sizes': cfg.sizes(), 'params': param_count(model)}

def per_class(res) -> dict:
    "Class: the numbers of one `evaluate` result that go into the table."
    u, st = res.get('usefulness', {}), res.get('structures', {}).get('per_class', {})
    out = {}
    for c, d in u.get('per_class', {}).items():
        s = st.get(c, {})
        out[c] = {'real': d['real'], 'synthetic': d.get('synthetic', math.nan), 'real+synthetic': d.get('real+synthetic', math.nan),
                  'ratio': math.nan if d.get('ratio') is None else d['ratio'],
                  'ratio_raw': d.get('synthetic', math.nan) / d['real'] if d['real'] and math.isfinite(d['real']) else math.nan,
                  **{k: s.get(k, math.nan) for k in ('presence_generated', 'presence_real', 'area_generated', 'area_real',
                                                     'area_ratio', 'centroid_px_generated', 'centroid_px_real')}}
    out['mean'] = {'real': u['real']['mean_dice'], 'synthetic': u.get('synthetic', {}).get('mean_dice', math.nan),
                   'real+synthetic': u.get('real+synthetic', {}).get('mean_dice', math.nan),
                   'ratio': math.nan if u.get('ratio') is None else u['ratio'],
                   'ratio_mixed': math.nan if u.get('ratio_mixed') is None else u['ratio_mixed']}
    return out

def _vals(runs, c, k):
    return np.array([r['per_class'][c][k] for r in runs if c in r['per_class'] and r['per_class'][c].get(k) is not None], float)

def mean_std(v, fmt='{:.2f}', n_all=None):
    v = v[np.isfinite(v)]
    if not len(v): return '–'
    s = fmt.format(v.mean()) + (f" ± {fmt.format(v.std(ddof=1))}" if len(v) > 1 else '')
    return s + (f" ({len(v)} of {n_all})" if n_all and len(v) < n_all else '')

def verdict(runs) -> list[str]:
    "Plain sentences on how the synthetic-trained U-Net compares with the real-trained one, class by class."
    classes = [c for c in runs[0]['per_class'] if c != 'mean']
    poor, below, close = [], [], []
    for c in classes:
        r, s = np.nanmean(_vals(runs, c, 'real')), np.nanmean(_vals(runs, c, 'synthetic'))
        q = s / r if r > 0 else math.nan
        (poor if not q >= 0.5 or s < BASELINE_MIN_DICE else close if q >= 0.85 else below).append(f"{c} ({s:.2f} against {r:.2f})")
    mr, ms = np.nanmean(_vals(runs, 'mean', 'real')), np.nanmean(_vals(runs, 'mean', 'synthetic'))
    lines = [f"Mean over classes and seeds: synthetic-trained Dice {ms:.2f} against real-trained {mr:.2f} (ratio {ms / mr:.2f})."]
    if poor: lines.append(f"The synthetic-trained Dice is poor (below half the real-trained Dice, or below {BASELINE_MIN_DICE}) on: {', '.join(poor)}.")
    if below: lines.append(f"Below the real-trained Dice but at least half of it on: {', '.join(below)}.")
    if close: lines.append(f"Within 15 % of the real-trained Dice on: {', '.join(close)}.")
    mix = np.nanmean(_vals(runs, 'mean', 'real+synthetic'))
    lines.append(f"Adding the generated pairs to the real ones gives mean Dice {mix:.2f} against {mr:.2f} for the real ones alone.")
    return lines

def table(runs, args, started, total_s, mach) -> str:
    ok = [r for r in runs if 'diverged' not in r]
    n = len(ok)
    steps = ' / '.join(str(s) for s in args.steps.split(','))
    secs = ' / '.join(mean_std(np.array([r['train']['scale_seconds'][k] for r in ok], float), '{:.0f}') for k in range(4)) if ok else '–'
    lines = [f"## Small structures at 128 px: real-trained and synthetic-trained Dice ({started:%Y-%m-%d})", '',
             f"MNI152 slices with the deep grey-matter masks at 128 px ({args.n_real} slices: {args.n_train} training, {args.n_held} held out "
             f"in slabs of 8 with a gap of 2, `slab_split` seed 0; the generators never see the held-out slabs). Per seed "
             f"({', '.join(str(r['seed']) for r in ok)}): a 4-scale pyramid 16 → 32 → 64 → 128 px (full model, attention) trained for "
             f"{steps} generator steps per scale at batch {args.batch_size} (seconds per scale {secs}), {args.num_samples} generated pairs, then "
             f"`evaluate` (U-Net {args.unet_epochs} epochs, at least {args.unet_min_steps} updates, seed = the run's seed). Mean ± std over "
             f"{n} seed(s). Machine: {mach['cpu']} ({mach['isa']}), {mach['cpus']} CPUs, pinned to cores {mach['pinned_cores']}, "
             f"torch {mach['torch']} with {mach['threads']} thread(s), device {args.device or 'default'}. Total {total_s / 60:.1f} min.", '',
             '| class | Dice real-trained | Dice synthetic-trained | ratio synth / real | Dice real + synth | slices showing it: generated (real) '
             '| area % of slice: generated (real) | centroid to nearest real, px: generated (held-out real) |',
             '|---|---|---|---|---|---|---|---|']
    if not ok: return '\n'.join(lines + ['', 'No run finished.', ''])
    for c in ok[0]['per_class']:
        if c == 'mean': continue
        v = lambda k, f='{:.2f}': mean_std(_vals(ok, c, k), f)
        ratio = mean_std(_vals(ok, c, 'ratio'), n_all=n)
        lines.append(f"| {c} | {v('real')} | {v('synthetic')} | {ratio} | {v('real+synthetic')} | {v('presence_generated')} ({v('presence_real')}) "
                     f"| {v('area_generated')} ({v('area_real')}) | {v('centroid_px_generated', '{:.1f}')} ({v('centroid_px_real', '{:.1f}')}) |")
    v = lambda k: mean_std(_vals(ok, 'mean', k))
    lines.append(f"| **mean** | {v('real')} | {v('synthetic')} | {mean_std(_vals(ok, 'mean', 'ratio'), n_all=n)} | {v('real+synthetic')} | | | |")
    lines += ['', f"Ratios follow `usefulness`: a class whose real-trained Dice is below {BASELINE_MIN_DICE} in a seed has no ratio in that seed "
              "(\"k of n\" says how many seeds it has). The real slices-showing-it and area columns count all real slices; the real centroid "
              "value is that of the held-out slices, the distance an unseen real slice has.", '']
    lines += verdict(ok)
    bad = [r for r in runs if 'diverged' in r]
    if bad: lines += ['', f"Diverged (left out): " + '; '.join(f"seed {r['seed']}: {r['diverged']}" for r in bad)]
    other = [f"SWD ×10³ images {mean_std(np.array([r['summary']['swd'] for r in ok]), '{:.0f}')} (floor {mean_std(np.array([r['summary']['swd_floor'] for r in ok]), '{:.0f}')})"]
    if all('c2st_img' in r['summary'] for r in ok):
        other.append(f"C2ST images {mean_std(np.array([r['summary']['c2st_img'] for r in ok]))}, pairs {mean_std(np.array([r['summary']['c2st_pair'] for r in ok]))} (0.5 ideal)")
    if all('mem_p95' in r['summary'] for r in ok):
        other.append(f"closer to training than the held-out 95th percentile {mean_std(np.array([r['summary']['mem_p95'] for r in ok]))} (about 0.05 for new slices)")
    lines += ['', 'Other metrics of the same runs: ' + '; '.join(other) + '.']
    lines += ['', f"Command: `{args.command}`", '']
    return '\n'.join(lines)

def summarise(res) -> dict:
    s = {'swd': float(np.mean(res['swd']['generated'])), 'swd_floor': float(np.mean(res['swd']['real']))} if 'swd' in res else {'swd': math.nan, 'swd_floor': math.nan}
    if 'c2st' in res: s.update(c2st_img=res['c2st']['image']['accuracy'], c2st_pair=res['c2st'].get('pair', {}).get('accuracy', math.nan))
    if 'memorisation' in res: s['mem_p95'] = res['memorisation']['frac_above_p95']
    return s

def save_figure(real, images, masks, path, seed):
    "Four real training pairs and eight generated ones, each image beside its overlay, with the class legend."
    import matplotlib.pyplot as plt
    idx = np.linspace(len(real) // 4, len(real) - 1 - len(real) // 4, 4).round().astype(int)
    ims = torch.cat([real.images[idx], images[:8].cpu()])
    ms = torch.cat([real.masks[idx], masks[:8].cpu()])
    titles = [f'real {i}' for i in idx] + [f'generated {k}' for k in range(8)]
    fig = show_pairs(ims, ms, ncols=4, side_by_side=True, class_names=real.class_names, titles=titles,
                     title=f'deep grey-matter pairs at 128 px: real training slices (first row), generated by the seed-{seed} pyramid', cell=1.5)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90, bbox_inches='tight'); plt.close(fig)

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--steps', default='600,300,100,30', help='generator steps per scale, 16/32/64/128 px (default 600,300,100,30)')
    p.add_argument('--batch_size', type=int, default=16, help='training batch (default 16)')
    p.add_argument('--seeds', type=int, default=3, help='seeds 0..n-1 (default 3)')
    p.add_argument('--num_samples', type=int, default=64, help='generated pairs per run (default 64)')
    p.add_argument('--unet_epochs', type=int, default=20, help='U-Net epochs of the real training set (default 20)')
    p.add_argument('--unet_min_steps', type=int, default=600, help='at least this many U-Net updates (default 600)')
    p.add_argument('--c2st_splits', type=int, default=5, help='C2ST splits (default 5; 0 leaves C2ST out)')
    p.add_argument('--device', default=None, help="'cpu' or 'cuda' (default: CUDA when available)")
    p.add_argument('--threads', type=int, default=None, help="torch CPU threads (default: torch's choice)")
    p.add_argument('--output', default=str(ROOT / 'bench' / 'small_structures.md'), help='markdown table (a .json goes beside it)')
    p.add_argument('--figure', default=str(ROOT / 'nbs' / 'assets' / 'deep_gm_128_pairs.png'), help="figure of real and generated pairs ('' = none)")
    p.add_argument('--smoke', action='store_true', help='a check of the script in about a minute: ' + ', '.join(f'{k} {v}' for k, v in SMOKE.items()))
    args = p.parse_args()
    if args.smoke:
        for k, v in SMOKE.items(): setattr(args, k, v)
    args.command = 'python bench/small_structures.py ' + ' '.join(sys.argv[1:])
    aff = sorted(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else []
    if aff and len(aff) < (os.cpu_count() or 0): args.command = f"taskset -c {','.join(map(str, aff))} " + args.command
    if os.environ.get('OMP_NUM_THREADS'): args.command = f"OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']} " + args.command
    if args.threads: torch.set_num_threads(args.threads)
    if len(args.steps.split(',')) != 4: p.error('--steps needs 4 numbers, one per scale')
    metrics = tuple(m for m in ALL_METRICS if m != 'c2st' or args.c2st_splits > 0)
    mach = machine()
    started = datetime.datetime.now(); t_all = time.perf_counter()
    real = load_mni152(size=128, masks='deep_gm')
    train, held = slab_split(real, holdout=0.25, slab=8, gap=2, seed=0)
    args.n_real, args.n_train, args.n_held = len(real), len(train), len(held)
    print(f"{len(real)} slices ({len(train)} training, {len(held)} held out), {args.seeds} seed(s), steps {args.steps}; {mach}", flush=True)
    runs = []
    out = Path(args.output); out.parent.mkdir(parents=True, exist_ok=True)
    def write(final):
        "Table and JSON so far (rewritten after every seed, so that an interrupted run keeps what it measured)."
        total = time.perf_counter() - t_all
        md = table(runs, args, started, total, mach) + ('' if final else '\n*Partial: the run was still going when this was written.*\n')
        out.write_text(md)
        out.with_suffix('.json').write_text(json.dumps(jsonable({'args': vars(args), 'date': started.isoformat(timespec='seconds'),
                                                               'machine': mach, 'total_seconds': total, 'complete': final, 'runs': runs}), indent=1))
        return md
    with tempfile.TemporaryDirectory() as wd:
        for seed in range(args.seeds):
            try: model, info = train_pyramid(seed, train, args, Path(wd))
            except TrainingDiverged as e:
                print(f"    seed {seed}: diverged ({e})", flush=True)
                runs.append({'seed': seed, 'diverged': str(e)}); write(False); continue
            print(f"[{(time.perf_counter() - t_all) / 60:5.1f} min] seed {seed}: steps {info['steps']}, seconds per scale {info['scale_seconds']}", flush=True)
            images, masks = generate(model, args.num_samples, seed=1000 + seed, progress=False)
            if seed == 0 and args.figure: save_figure(train, images, masks, args.figure, seed)
            res = evaluate((images, masks), train, held_out=held, seed=seed, unet_epochs=args.unet_epochs, unet_min_steps=args.unet_min_steps,
                           c2st_splits=max(1, args.c2st_splits), metrics=metrics, device=args.device, progress=False)
            runs.append({'seed': seed, 'train': info, 'per_class': per_class(res), 'summary': summarise(res), 'result': jsonable(res)})
            pc = runs[-1]['per_class']
            print(f"[{(time.perf_counter() - t_all) / 60:5.1f} min] seed {seed} evaluated in {res['seconds']['total']:.0f} s {res['seconds']}:\n" +
                  '\n'.join(f"    {c:11s} Dice real {v['real']:.3f}, synthetic {v['synthetic']:.3f}, real+synth {v['real+synthetic']:.3f}" for c, v in pc.items()), flush=True)
            write(False)
    md = write(True)
    print(md)
    print(f"wrote {out} and {out.with_suffix('.json')}" + (f" and {args.figure}" if args.figure else ''))

if __name__ == '__main__':
    main()
