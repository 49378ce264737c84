"""The coarsest scale alone, trained again and swapped into a trained pyramid. With `refine_from='real'` (the default
for a dataset) every refiner learns on real coarser slices and never sees the coarsest scale's output while training,
so the coarsest generator and encoder can be retrained with other settings and put under the same refiners: a cheap
test of levers at the scale where the samples lose realism (09_evaluation, "Where the samples lose realism").

It trains a one-scale model at the pyramid's coarsest size on the same training slabs (`TrainConfig` settings from
--set, by steps), copies its generator and encoder into the pyramid of the checkpoint, and scores the pyramid's pairs
with `evaluate` against the held-out slabs, like `bench/ablation.py`. Run by hand:

    python bench/coarse_swap.py runs/f0/pairs/8_seed0_checkpoint.pt --seed 0 --steps 4000 --output runs/cs0/swap.md
"""
import argparse, json, sys, tempfile, time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT)); sys.path.insert(0, str(ROOT / 'bench'))

from alphagan_nb.demo_data import load_mni152
from alphagan_nb.evaluation import evaluate, slab_split, jsonable
from alphagan_nb.inference import load_model
from alphagan_nb.singan_generator import generate, hard_masks
from alphagan_nb.train_singan import Trainer, TrainConfig
from ablation import summarise

def parse_set(items):
    "KEY=VALUE settings, values read as Python literals where they can be."
    import ast
    out = {}
    for it in items:
        k, v = it.split('=', 1)
        try: out[k] = ast.literal_eval(v)
        except (ValueError, SyntaxError): out[k] = v
    return out

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('checkpoint', help="a pyramid's checkpoint trained on the demo's training slabs (refine_from='real')")
    p.add_argument('--seed', type=int, default=0, help='seed of the coarsest scale\'s training and of the evaluation')
    p.add_argument('--steps', type=int, default=2000, help='steps of the coarsest scale (the quick preset: 2000)')
    p.add_argument('--set', nargs='*', default=[], help='other TrainConfig settings of the coarsest scale, KEY=VALUE')
    p.add_argument('--num_samples', type=int, default=120)
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--output', required=True, help='markdown summary (a .json with the full result goes beside it)')
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    model, ck = load_model(a.checkpoint, device='cpu')
    cfg0 = ck.get('train_config') or {}
    if cfg0.get('refine_from', 'real') not in ('real', 'auto'): raise SystemExit(f"{a.checkpoint}: its refiners learned on refine_from={cfg0.get('refine_from')!r}, not on real slices")
    s0 = model.sizes[0]
    real = load_mni152(size=model.sizes[-1])
    train, held = slab_split(real, holdout=0.25, slab=8, gap=2, seed=0)
    settings = dict(demo=True, num_scales=1, min_size=s0, max_size=s0, steps_per_scale=str(a.steps), seed=a.seed, threads=a.threads,
                    z_dim=model.z_dim, **parse_set(a.set))
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as wd:
        small = Trainer(TrainConfig(output_dir=str(Path(wd) / 'coarse'), **settings), data=train, quiet=True).fit()
    seconds = time.perf_counter() - t0
    model.generators[0].load_state_dict(small.generators[0].state_dict())
    model.encoder.load_state_dict(small.encoder.state_dict())
    images, soft = generate(model, a.num_samples, seed=1000 + a.seed, progress=False, hard=False)
    res = evaluate((images, hard_masks(soft)), train, held_out=held, seed=a.seed, progress=False)
    s = summarise(res)
    out = Path(a.output); out.parent.mkdir(parents=True, exist_ok=True)
    torch.save({'images': images, 'masks': hard_masks(soft), 'info': {'train_seconds': seconds, 'settings': settings}}, out.with_suffix('.pt'))
    line = (f"{a.checkpoint} with its coarsest scale retrained ({a.steps} steps, {' '.join(a.set) or 'defaults'}; {seconds:.0f} s): "
            f"C2ST img {s['c2st_img']:.3f}, pair {s['c2st_pair']:.3f}, mask {s['c2st_mask']:.3f}, SWD {s['swd']:.1f}, MS-SSIM {s['msssim']:.3f}, "
            f"TSTR ratio {s['ratio']:.3f}, real+synth {s['ratio_mixed']:.3f}, > p95 {s['mem_p95']:.3f}")
    print(line, flush=True)
    out.write_text(line + f"\n\nCommand: `python bench/coarse_swap.py {' '.join(sys.argv[1:])}`\n")
    out.with_suffix('.json').write_text(json.dumps(jsonable({'settings': settings, 'train_seconds': seconds, 'summary': s, 'result': res}), indent=1))

if __name__ == '__main__':
    main()
