"""One figure from the generated pairs that `bench/ablation.py --pairs_dir` saved (ARM_seedN.pt): a row of real
MNI152 slices with their masks, then one row per file, the same count of pairs evenly spaced over each set, images
above and masks overlaid below. Run by hand:

    python bench/pairs_figure.py runs/abl_d2/pairs/d_seed0.pt runs/abl_u/pairs/u_seed0.pt --labels "(d)" "(u)" \
        --output nbs/assets/refiners_compare.png
"""
import argparse, sys
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alphagan_nb.demo_data import load_mni152
from alphagan_nb.transforms import onehot_to_labels
from alphagan_nb.plots import CLASS_COLOURS, _draw_pair

def spaced(x, n): return x[torch.linspace(0, len(x) - 1, n).round().long()]

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('files', nargs='+', help='ARM_seedN.pt files written by bench/ablation.py --pairs_dir')
    p.add_argument('--labels', nargs='*', default=None, help='a row label per file (default: the file names)')
    p.add_argument('--n', type=int, default=8, help='pairs per row (default 8)')
    p.add_argument('--output', required=True, help='PNG to write')
    a = p.parse_args()
    labels = a.labels or [Path(f).stem for f in a.files]
    if len(labels) != len(a.files): p.error('--labels needs one label per file')
    import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt
    sets = [torch.load(f, map_location='cpu') for f in a.files]
    real = load_mni152(size=sets[0]['images'].shape[-1])   # the real slices at the size of the generated ones
    rows = [('real MNI152 slices', spaced(real.images, a.n), spaced(real.masks, a.n))]
    for d, l in zip(sets, labels): rows.append((l, spaced(d['images'], a.n), spaced(d['masks'], a.n)))
    from matplotlib.colors import ListedColormap
    nc = rows[0][2].shape[1]
    cmap = ListedColormap([CLASS_COLOURS[k % len(CLASS_COLOURS)] for k in range(nc - 1)])
    fig, axes = plt.subplots(2 * len(rows), a.n, figsize=(1.2 * a.n, 2.7 * len(rows)), squeeze=False)
    for r, (label, imgs, masks) in enumerate(rows):
        for c in range(a.n):
            img, lab = imgs[c, 0].float().clamp(-1, 1).numpy(), onehot_to_labels(masks[c:c + 1].float())[0].numpy()
            _draw_pair(axes[2 * r, c], axes[2 * r, c], img, None, cmap, nc, 0.45, False)
            _draw_pair(axes[2 * r + 1, c], axes[2 * r + 1, c], img, lab, cmap, nc, 0.45, False)
        axes[2 * r, 0].set_title(label, loc='left', fontsize=10)
    for ax in axes.flat: ax.axis('off')
    fig.subplots_adjust(wspace=0.03, hspace=0.3); fig.savefig(a.output, dpi=90, bbox_inches='tight')
    print(f'wrote {a.output}')

if __name__ == '__main__':
    main()
