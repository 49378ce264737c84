"""How to mix generated pairs with real ones for segmentation: the held-out Dice of a U-Net trained on the real
training slices plus the generated pairs of an ablation run (`bench/ablation.py --pairs_dir DIR`, files
ARM_seedN.pt), with every slice equally likely in a batch (the default of `evaluation.usefulness`: 120 generated
pairs beside 80 real ones make 60 % of each batch) and with a fixed expected share of real slices per batch
(`usefulness(real_share=0.5)`: half of each batch real), against the real slices alone and the generated pairs alone. The same U-Net
recipe, steps and seed as `usefulness`, on the ablation's slab split. Run by hand (one core; about 2.5 minutes per
64 px file and 8 per 128 px file):

    python bench/real_share.py runs/j2/pairs/J_seed*.pt runs/s1/pairs/R_seed*.pt --output bench/real_share.md

With `--steps 600,1800` every U-Net is trained for each of those numbers of updates, so that the table also says whether
the mix falls short of real alone because its real slices are seen less often in the same number of updates (a U-Net
that has not converged), or at any length:

    python bench/real_share.py runs/q0/pairs/Q_seed0.pt runs/y0/pairs/Y_seed0.pt --steps 600,1800 --output bench/unet_length.md

With `--finetune` two more columns: the U-Net trained on the generated pairs alone, then fine-tuned on the real
slices for the same number of updates (`train_segmenter(init=...)`: pretraining on synthetic data, the other common
way to use it), and, as its reference at the same total length, the real slices alone for twice the updates:

    python bench/real_share.py runs/y0/pairs/Y_seed0.pt runs/y1/pairs/Y_seed1.pt runs/y2/pairs/Y_seed2.pt --finetune --unet_seeds 3 --output bench/finetune_y.md

(`--unet_seeds 3`: the U-Nets' own seed moves the held-out Dice by a few hundredths, as much as the differences
measured, so each generated set is scored with three.)
"""
import argparse, datetime, json, math, os, platform, re
from pathlib import Path
import numpy as np, torch
from alphagan_nb.data import load_mni152
from alphagan_nb.transforms import onehot_to_labels
from alphagan_nb.evaluation import slab_split, train_segmenter, segment, dice_scores, unet_channels, _nanmean, mix_weights

SHARES = (None, 0.5)

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('files', nargs='+', help='ARM_seedN.pt files written by bench/ablation.py --pairs_dir')
    p.add_argument('--output', default='bench/real_share.md', help='markdown table (a .json beside it)')
    p.add_argument('--finetune', action='store_true', help='also pretrain on the generated pairs and fine-tune on the real ones (and real alone for twice the updates)')
    p.add_argument('--unet_seeds', type=int, default=1, help='U-Net seeds 0, 1, ... per file (each a run of the table; default 1: seed 0, as usefulness)')
    p.add_argument('--steps', default='', help="U-Net updates, comma-separated, each a row of its own ('' = usefulness's: 20 epochs, at least 600)")
    a = p.parse_args()
    lengths = [int(v) for v in a.steps.split(',') if v.strip()] or [None]
    cache, res = {}, {'runs': {}}
    for f in map(Path, a.files):
        d = torch.load(f); im, m = d['images'], d['masks']; size = im.shape[-1]
        if size not in cache:
            real = load_mni152(size=size); cache[size] = slab_split(real, holdout=0.25, slab=8, gap=2, seed=0)
        tr, held = cache[size]
        c, ry, gy, truth = m.shape[1], onehot_to_labels(tr.masks), onehot_to_labels(m), onehot_to_labels(held.masks)
        both_x, both_y = torch.cat([tr.images, im]), torch.cat([ry, gy])
        def fit(x, y, steps, w=None, init=None): return train_segmenter(x, y, c, steps, 4, channels=unet_channels(size), seed=useed, weights=w, init=init)
        def score(net): return _nanmean(dice_scores(segment(net, held.images), truth, c))
        def dice(x, y, steps, w=None): return score(fit(x, y, steps, w))
        for steps, useed in [(s_, u_) for s_ in lengths for u_ in range(a.unet_seeds)]:
            n = steps or max(600, 20 * math.ceil(len(tr) / 4))   # usefulness's defaults: 20 epochs, batches of 4, at least 600 updates
            syn = fit(im, gy, n)
            r = {'size': size, 'steps': n, 'real': dice(tr.images, ry, n), 'synthetic': score(syn)}
            if a.finetune: r['finetuned'], r['real_2x'] = score(fit(tr.images, ry, n, init=syn)), dice(tr.images, ry, 2 * n)
            for s in SHARES:
                w = None if s is None else mix_weights(len(tr), len(im), s)
                r[f'mixed_{s}'] = dice(both_x, both_y, n, w)
            print(f.stem, size, f'U-Net seed {useed}', {k: round(v, 4) for k, v in r.items() if k != 'size'}, flush=True)
            res['runs'][f"{f.stem}_{size}px" + (f"_{steps}" if steps else '') + (f"_u{useed}" if a.unet_seeds > 1 else '')] = r
    ms = lambda v: f"{np.mean(v):.3f} ± {np.std(v, ddof=1):.3f}" if len(v) > 1 else f"{v[0]:.3f}"
    L = [f"## Real and generated pairs mixed for segmentation ({datetime.date.today()})", '',
         f"Held-out Dice (mean over the foreground classes), mean ± std over runs; ratio to the real-trained U-Net of the same run. "
         f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__}.", '',
         '| pairs | runs | U-Net updates | real alone | synthetic alone | real + synthetic, all slices alike | real + synthetic, half of each batch real |'
         + (' synthetic, then real (fine-tuned, 2× the updates in all) | real alone, 2× the updates |' if a.finetune else ''),
         '|---|---|---|---|---|---|---|' + ('---|---|' if a.finetune else '')]
    arm_of = lambda k: re.sub(r'_seed\d+_\d+px(_\d+)?(_u\d+)?$', '', k)
    groups = sorted({(arm_of(k), v['size'], v['steps']) for k, v in res['runs'].items()}, key=lambda t: (t[1], t[0], t[2]))
    for arm, size, steps in groups:
        rs = [v for k, v in res['runs'].items() if arm_of(k) == arm and v['size'] == size and v['steps'] == steps]
        cell = lambda k: f"{ms([r[k] for r in rs])} ({ms([r[k] / r['real'] for r in rs])})"
        L.append(f"| ({arm}) {size} px | {len(rs)} | {steps} | {ms([r['real'] for r in rs])} | {cell('synthetic')} | {cell('mixed_None')} | {cell('mixed_0.5')} |"
                 + (f" {cell('finetuned')} | {cell('real_2x')} |" if a.finetune else ''))
    L += ['', 'In brackets: the ratio to real alone.' + (f' Runs: generated sets x {a.unet_seeds} U-Net seeds.' if a.unet_seeds > 1 else ''), '', f"Command: `python bench/real_share.py {' '.join(a.files)}{f' --steps {a.steps}' if a.steps else ''}{' --finetune' if a.finetune else ''}{f' --unet_seeds {a.unet_seeds}' if a.unet_seeds > 1 else ''} --output {a.output}`", '']
    Path(a.output).write_text('\n'.join(L)); Path(a.output).with_suffix('.json').write_text(json.dumps(res, indent=1))
    print('\n'.join(L))

if __name__ == '__main__': main()
