"""Where a pyramid's samples lose realism, in one picture: the same trained generator (a checkpoint that
`bench/ablation.py --pairs_dir` kept, ARM_seedN_checkpoint.pt, or any training checkpoint) run from four starts.

- real: training slices at the finest size;
- from real 16 px: the refiners given the real slices at the coarsest size (`generate_from_coarse`, no noise);
- from its reconstruction: the same slices encoded and drawn by the coarsest scale, then refined (no noise): the
  coarsest scale's own copy of a real slice;
- free samples: codes from the prior, as `generate` draws them;
- codes near the training pairs: codes from a 10-component Gaussian mixture fitted to the encoded training pairs
  (arm M10 of `bench/ablation.py`).

The picture shows the first checkpoint's rows; the numbers of every checkpoint are printed and written beside it.

Each start also gets the C2ST of its images against the real training slices (`c2st_accuracy`, 5 splits, as many
per class as there are training slices): the first two starts are the training slices' own heights, so this test,
unlike the evaluation's against held-out slabs, has no height difference to find; 0.5 is its ideal. Run by hand:

    python bench/coarse_gap.py runs/f0/pairs/8_seed0_checkpoint.pt --label "(8), seed 0" --output nbs/assets/coarse_gap.png
"""
import argparse, json, sys
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT)); sys.path.insert(0, str(ROOT / 'bench'))

from alphagan_nb.demo_data import load_mni152
from alphagan_nb.evaluation import slab_split, c2st_accuracy
from alphagan_nb.inference import load_model
from alphagan_nb.singan_generator import generate, resize_pair
from ablation import sample_pairs
from pairs_figure import spaced

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('checkpoints', nargs='+', help='checkpoint files of pyramids trained on the training slabs of the MNI152 demo')
    p.add_argument('--label', nargs='*', default=None, help='a name per checkpoint for the figure')
    p.add_argument('--n', type=int, default=8, help='slices per row (default 8)')
    p.add_argument('--output', required=True, help='PNG to write (a .json with the C2ST numbers goes beside it)')
    a = p.parse_args()
    import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt
    labels = a.label or [Path(c).stem for c in a.checkpoints]
    rows, numbers = [], {}
    for ck, label in zip(a.checkpoints, labels):
        m, _ = load_model(ck, device='cpu')
        S = m.sizes[-1]
        real = load_mni152(size=S)
        train, _ = slab_split(real, holdout=0.25, slab=8, gap=2, seed=0)   # the slabs the generators trained on
        pairs = torch.cat([train.images, train.masks], 1)
        with torch.no_grad():
            from_real = m.generate_from_coarse(resize_pair(pairs, m.sizes[0], m.img_channels), 1, noise_scale=0.0)
            from_rec = m.reconstruct(pairs)
        free = generate(m, len(pairs), seed=1000, progress=False)
        near = sample_pairs(m, len(pairs), 1000, code_gmm=10, train=train)
        sets = {'from real 16 px': from_real, 'from its reconstruction': from_rec, 'free samples': free, 'codes near the training pairs': near}
        if not rows: rows.append(('real training slices', spaced(train.images, a.n)))
        numbers[label] = {}
        for name, (im, ms) in sets.items():
            r = c2st_accuracy(train.images, im, seed=0)
            numbers[label][name] = r['accuracy']
            if ck == a.checkpoints[0]: rows.append((f"{label}: {name} (C2ST {r['accuracy']:.2f})", spaced(im, a.n)))   # the picture: the first checkpoint
            print(f"{label}: {name}: image C2ST against the training slices {r['accuracy']:.2f}", flush=True)
    fig, ax = plt.subplots(len(rows), a.n, figsize=(1.25 * a.n, 1.45 * len(rows)), squeeze=False)
    for r, (name, ims) in enumerate(rows):
        for j in range(a.n):
            ax[r, j].imshow(ims[j, 0].numpy(), cmap='gray', vmin=-1, vmax=1); ax[r, j].axis('off')
        ax[r, 0].set_title(name, fontsize=9, loc='left')
    fig.subplots_adjust(left=0.01, right=0.99, top=0.96, bottom=0.01, wspace=0.03, hspace=0.22)
    plt.savefig(a.output, dpi=80)
    Path(a.output).with_suffix('.json').write_text(json.dumps({'command': 'python bench/coarse_gap.py ' + ' '.join(sys.argv[1:]), 'c2st_images': numbers}, indent=1))
    print(f"wrote {a.output}")

if __name__ == '__main__':
    main()
