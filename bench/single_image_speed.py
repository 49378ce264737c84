"""What a single-image model costs, stage by stage, against ConSinGAN's published per-stage figures on this CPU type:
seconds per training iteration, FLOPs per iteration (matmuls and convolutions, backward and the gradient penalty's
double backward included, counted by `torch.utils.flop_counter`), achieved GFLOP/s against the fp32 matmul ceiling
measured in the same run, and the training time of the whole schedule. Run by hand, with nothing else running:

    python bench/single_image_speed.py                        # 128 and 250 px, timed stage by stage (a few minutes)
    python bench/single_image_speed.py --sizes 128 --train     # also train the 128 px model end to end and evaluate it
    python bench/single_image_speed.py --sizes 64 --probe 2 --output /tmp/s.md   # smoke run

One axial MNI152 slice (the middle of the demo set) and its tissue mask, written as PNG files and read back through
`single_image`, as a user's pair would be. The model is the package's single-image model with ConSinGAN's scale
spacing (`scale_spacing='consingan'`) from 25 px, the number of stages and the steps per stage as given (defaults:
ConSinGAN's 6 stages for 250 px, 2000 iterations per stage for the projection); time per iteration is the median of
`--probe` iterations after two warm-up iterations, each stage timed on its own (`Trainer.prepare_scale`, then the
step the trainer takes there). ConSinGAN's figures on a 2-core CPU of this kind (its defaults at 250 px): about 4.2 h
per image; its top stage 4.9 s per iteration at about 143 GFLOP/s (so about 700 GFLOP per iteration).
"""
import argparse, datetime, json, os, platform, statistics, sys, tempfile, time
from types import SimpleNamespace
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / 'bench'))

from speed import flops_of, part_ceiling
from single_image_kslice import write_pair as kslice_pair
from alphagan_nb.demo_data import load_mni152
from alphagan_nb.train_singan import Trainer, TrainConfig

CONSINGAN = {'hours_250': 4.2, 'top_s_per_iter': 4.9, 'top_gflops': 143.0}   # REFERENCE.md: ConSinGAN's defaults at 250 px, 2-core CPU

def ceiling(repeats=4):
    "The fp32 matmul ceiling in GFLOP/s (median), measured as `bench/speed.py` measures it."
    return part_ceiling(SimpleNamespace(threads=0, repeats=repeats))['gflops']['median']

def write_pair(size, folder):
    "The middle slice of the MNI152 demo at `size` px as a 16-bit PNG and its label map as an 8-bit PNG, as `single_image_kslice` writes them."
    data = load_mni152(size=size)
    folder = Path(folder) / f'pair{size}'
    for sub in ('images', 'masks'): (folder / sub).mkdir(parents=True, exist_ok=True)
    stem = kslice_pair(data, len(data) // 2, folder)
    return folder / 'images' / f'{stem}.png', folder / 'masks' / f'{stem}.png'

def stage_times(cfg, probe):
    "Per stage: side, seconds per iteration (median of `probe`), GFLOP per iteration, achieved GFLOP/s."
    tr = Trainer(cfg, quiet=True)
    rows = []
    for k in range(cfg.num_scales):
        tr.scale, tr.step = k, 0
        tr.prepare_scale(k); tr.opt = tr.optimisers(k)
        fn = tr.step_fn()
        it = iter(range(10 ** 9))
        step = lambda: fn(next(it))
        step(); step()
        ts = []
        for _ in range(probe):
            t = time.perf_counter(); step(); ts.append(time.perf_counter() - t)
        fl = flops_of(step) / 1e9
        s = statistics.median(ts)
        rows.append({'stage': k, 'size': tr.sizes[k], 's_per_iter': s, 'min': min(ts), 'max': max(ts), 'gflop_per_iter': fl, 'gflops': fl / s})
    return rows, tr

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--sizes', default='128,250', help='image sides, comma-separated (default 128,250)')
    p.add_argument('--stages', default='5,6', help='stages per size, comma-separated (default 5,6: ConSinGAN has 6 at 250 px)')
    p.add_argument('--min_size', type=int, default=25, help='coarsest side (ConSinGAN: 25)')
    p.add_argument('--steps', type=int, default=2000, help='iterations per stage of the projected schedule (ConSinGAN: 2000)')
    p.add_argument('--batch_size', type=int, default=4, help='noise samples per iteration (default 4)')
    p.add_argument('--probe', type=int, default=5, help='timed iterations per stage (default 5)')
    p.add_argument('--train', action='store_true', help='also train the first size end to end under --time_per_scale and evaluate it')
    p.add_argument('--time_per_scale', default='60', help='with --train: seconds per stage (default 60: 5 min for 5 stages)')
    p.add_argument('--threads', type=int, default=0, help="torch CPU threads (0: torch's default)")
    p.add_argument('--work_dir', default=None, help='keep pairs and models here (default: a temporary folder)')
    p.add_argument('--output', default=str(ROOT / 'bench' / 'single_image_speed.md'), help='markdown table (a .json goes beside it)')
    a = p.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    sizes, stages = [int(s) for s in a.sizes.split(',')], [int(s) for s in a.stages.split(',')]
    if len(stages) == 1: stages = stages * len(sizes)
    if len(stages) != len(sizes): p.error('--stages needs one number, or one per size')
    tmp = None if a.work_dir else tempfile.TemporaryDirectory()
    work = Path(a.work_dir or tmp.name); work.mkdir(parents=True, exist_ok=True)
    started = datetime.datetime.now()
    ceil = ceiling()
    cap = torch.backends.cpu.get_cpu_capability()
    print(f"fp32 matmul ceiling {ceil:.0f} GFLOP/s ({torch.get_num_threads()} threads, {cap})", flush=True)
    results = []
    for size, n in zip(sizes, stages):
        img, mask = write_pair(size, work)
        cfg = TrainConfig(single_image=str(img), single_mask=str(mask), output_dir=str(work / f'probe{size}'), num_scales=n,
                          min_size=a.min_size, max_size=size, scale_spacing='consingan', steps_per_scale='1000000',
                          batch_size=a.batch_size, threads=a.threads, checkpoint_every=10 ** 6)
        rows, _ = stage_times(cfg, a.probe)
        for r in rows: print(f"{size} px stage {r['stage']} ({r['size']} px): {r['s_per_iter']:.3f} s/iter, {r['gflop_per_iter']:.1f} GFLOP/iter, "
                             f"{r['gflops']:.0f} GFLOP/s ({r['gflops'] / ceil:.0%} of ceiling)", flush=True)
        res = {'size': size, 'stages': rows, 'projected_s': sum(r['s_per_iter'] for r in rows) * a.steps}
        if a.train and size == sizes[0]:
            out = work / f'train{size}'
            tcfg = TrainConfig(single_image=str(img), single_mask=str(mask), output_dir=str(out), num_scales=n, min_size=a.min_size,
                               max_size=size, scale_spacing='consingan', steps_per_scale='1000000', time_per_scale=a.time_per_scale,
                               batch_size=a.batch_size, threads=a.threads)
            tr = Trainer(tcfg, quiet=True)
            t0 = time.perf_counter(); tr.fit(); res['train_s'] = time.perf_counter() - t0
            res['train_steps'] = tr.steps_done
            from alphagan_nb.evaluation import evaluate_single_image, single_image_markdown, jsonable
            from alphagan_nb.inference import load_model, start_pair
            model, ck = load_model(out / 'checkpoint.pt', device='cpu')
            ev, _, _ = evaluate_single_image(model, start_pair(model, ck)[0], num_samples=32, seed=0, class_names=ck.get('class_names'), progress=False)
            res['eval'], res['eval_md'] = jsonable(ev), single_image_markdown(ev, title=None)
            print(f"trained {size} px in {res['train_s']:.0f} s, steps {tr.steps_done}", flush=True)
        results.append(res)
    write(a, results, ceil, cap, started)
    if tmp: tmp.cleanup()

def write(a, results, ceil, cap, started):
    lines = [f"# Single-image models: cost per stage ({started:%Y-%m-%d})", '',
             f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__} ({cap}), "
             f"{torch.get_num_threads()} threads; fp32 matmul ceiling {ceil:.0f} GFLOP/s in the same run. Batch {a.batch_size} noise samples "
             f"per iteration; ConSinGAN spacing from {a.min_size} px; median of {a.probe} iterations per stage.", '',
             '| size | stage (px) | s / iteration | GFLOP / iteration | GFLOP/s | of ceiling |', '|---|---|---|---|---|---|']
    for r in results:
        for s in r['stages']:
            lines.append(f"| {r['size']} px | {s['stage']} ({s['size']} px) | {s['s_per_iter']:.3f} | {s['gflop_per_iter']:.1f} | {s['gflops']:.0f} | {s['gflops'] / ceil:.0%} |")
    lines += ['', f"| size | {a.steps} iterations per stage (projected) | ConSinGAN at 250 px | ratio | top stage s/iter (ConSinGAN {CONSINGAN['top_s_per_iter']}) |",
              '|---|---|---|---|---|']
    for r in results:
        top = r['stages'][-1]['s_per_iter']
        lines.append(f"| {r['size']} px | {r['projected_s'] / 60:.1f} min | {CONSINGAN['hours_250'] * 60:.0f} min | "
                     f"{CONSINGAN['hours_250'] * 3600 / r['projected_s']:.1f}x faster | {top:.2f} ({CONSINGAN['top_s_per_iter'] / top:.1f}x faster) |")
    cf = CONSINGAN['top_s_per_iter'] * CONSINGAN['top_gflops']
    lines += ['', f"Work per iteration, which no machine changes: ConSinGAN's top stage at 250 px does about {cf:.0f} GFLOP per iteration "
                  f"({CONSINGAN['top_s_per_iter']} s at {CONSINGAN['top_gflops']:.0f} GFLOP/s); "
              + '; '.join(f"the top stage here at {r['size']} px {r['stages'][-1]['gflop_per_iter']:.1f} GFLOP ({cf / r['stages'][-1]['gflop_per_iter']:.0f}x less)"
                          for r in results) + '. ConSinGAN\'s figures were measured on a 2-core CPU of this family; where this run\'s ceiling '
              f"differs from the {CONSINGAN['top_gflops']:.0f} GFLOP/s that ConSinGAN reached, compare work and shares of the ceiling rather than seconds."]
    for r in results:
        if 'train_s' in r:
            lines += ['', f"Trained end to end at {r['size']} px: {r['train_s']:.0f} s, steps per stage {r['train_steps']} "
                          f"(`--time_per_scale {a.time_per_scale}`). Its 32 free samples against the training pair:", '', r['eval_md']]
    cmd = 'python bench/single_image_speed.py ' + ' '.join(sys.argv[1:])
    lines += ['', f"Command: `{cmd.strip()}`", '']
    Path(a.output).write_text('\n'.join(lines))
    Path(a.output).with_suffix('.json').write_text(json.dumps({'ceiling_gflops': ceil, 'capability': cap, 'results': results,
                                                               'command': cmd.strip(), 'date': started.isoformat()}, indent=1, default=float))
    print('\n'.join(lines))

if __name__ == '__main__':
    main()
