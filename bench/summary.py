"""One-page summary of any checkpoint, like `alphagan_demo`'s: real training slices, generated pairs, the same
images style-refined (masks unchanged) and the training curves. Run by hand, e.g. for the research preset:

    alphagan_train --demo --preset research --output_dir runs/research
    python bench/summary.py runs/research --output nbs/assets/research_summary.png
"""
import argparse, csv, sys
from pathlib import Path
import numpy as np
import torch

from alphagan_nb.inference import load_model, training_slices, style_reference, make_style_transfer, refine_style
from alphagan_nb.demo import summary_figure
from alphagan_nb.singan_generator import generate


def read_log(path):
    "The training log (log.csv beside the checkpoint) as `Trainer.log()` gives it: floats, NaN where a step has no such loss."
    f = Path(path).parent/'log.csv' if Path(path).is_file() else Path(path)/'log.csv'
    if not f.exists(): return None
    with open(f) as fh: return [{k: float(v) if v not in ('', None) else float('nan') for k, v in r.items()} for r in csv.DictReader(fh)]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('model_path', help='checkpoint file (or its folder)')
    p.add_argument('--output', required=True, help='PNG to write')
    p.add_argument('--n', type=int, default=8, help='pairs per row (default 8)')
    p.add_argument('--seed', type=int, default=0, help='sampling seed (default 0)')
    p.add_argument('--style_steps', type=int, default=None, help='style-refinement Adam steps (default: the package default)')
    a = p.parse_args()
    model, ck = load_model(a.model_path, device='cpu')
    size = model.sizes[-1]
    real = training_slices(ck, size)
    idx = np.unique(np.linspace(0, len(real) - 1, a.n).round().astype(int)).tolist()
    images, masks = generate(model, a.n, seed=a.seed, progress=False)
    style, where = style_reference(ck, size)
    refined = refine_style(images, style, make_style_transfer(a.style_steps), progress=False)
    cfg = ck['train_config']
    title = f"alphagan_nb: MNI152, scales {list(model.sizes)} px, preset {cfg.get('preset', 'quick')}, seed {a.seed}"
    summary_figure(real.images[idx], None if real.masks is None else real.masks[idx], images, masks, refined,
                   read_log(a.model_path), ck.get('class_names'), title, a.output)
    print(f"wrote {a.output} (style: {where})")


if __name__ == '__main__':
    main()
