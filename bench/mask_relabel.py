"""Do the masks give generated pairs away because they do not fit their images, or because of the anatomy they
draw? For the pairs an ablation run saved (`bench/ablation.py --pairs_dir DIR`, files ARM_seedN.pt), the
classifier two-sample test (masks alone, and image+mask pairs) against the held-out real slices of the ablation's
slab split, with the generated masks

- as drawn by the generator;
- **segmenter**: replaced by the labels a U-Net trained on the real training slices gives the generated images
  (`evaluation.train_segmenter`, 600 steps): masks that fit their images as real-trained segmentation does;
- **intensity-guided**: relabelled pixel by pixel by the drawn mask, blurred (Gaussian, 1 px), times a Gaussian
  likelihood of the pixel's intensity under each class, fitted on the real training pairs.

If masks that fit their images were the missing piece, the second and third would be told from real ones less
often than the first. Run by hand (one core; about 4 minutes per 64 px file and 10 per 128 px file):

    python bench/mask_relabel.py runs/j2/pairs/J_seed*.pt runs/s1/pairs/R_seed*.pt --output bench/mask_relabel.md
"""
import argparse, datetime, json, platform, os, re, time
from pathlib import Path
import numpy as np, torch, torch.nn.functional as F
from alphagan_nb.data import load_mni152
from alphagan_nb.transforms import labels_to_onehot
from alphagan_nb.evaluation import c2st, boundary_density, slab_split, train_segmenter, segment

def onehot(lab, c): return labels_to_onehot(lab, c) * 2 - 1

def blur(x, s):
    r = int(3 * s) + 1; t = torch.arange(-r, r + 1).float(); k = torch.exp(-t**2 / (2 * s * s)); k /= k.sum(); c = x.shape[1]
    x = F.conv2d(F.pad(x, (r, r, 0, 0), mode='replicate'), k.view(1, 1, 1, -1).repeat(c, 1, 1, 1), groups=c)
    return F.conv2d(F.pad(x, (0, 0, r, r), mode='replicate'), k.view(1, 1, -1, 1).repeat(c, 1, 1, 1), groups=c)

def guided(images, masks, mu, sd, sigma=1.0):
    "Relabel by the blurred drawn mask (prior) times each class's Gaussian intensity likelihood."
    prior = torch.log(blur((masks + 1) / 2, sigma).clamp_min(1e-4))
    ll = -0.5 * ((images - mu.view(1, -1, 1, 1)) / sd.view(1, -1, 1, 1))**2 - torch.log(sd).view(1, -1, 1, 1)
    return onehot((prior + ll).argmax(1), masks.shape[1])

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('files', nargs='+', help='ARM_seedN.pt files written by bench/ablation.py --pairs_dir')
    p.add_argument('--splits', type=int, default=5, help='C2ST splits per file')
    p.add_argument('--output', default='bench/mask_relabel.md', help='markdown table (a .json beside it)')
    a = p.parse_args()
    torch.manual_seed(0); cache, res = {}, {'runs': {}}
    for f in map(Path, a.files):
        d = torch.load(f); im, m = d['images'], d['masks']; size, c = im.shape[-1], m.shape[1]
        if size not in cache:
            real = load_mni152(size=size); tr, held = slab_split(real, holdout=0.25, slab=8, gap=2, seed=0)
            lab, x = tr.masks.argmax(1), tr.images[:, 0]
            mu = torch.stack([x[lab == k].mean() for k in range(c)]); sd = torch.stack([x[lab == k].std() for k in range(c)])
            cache[size] = (held, mu, sd, train_segmenter(tr.images, lab, c, steps=600, seed=0))
            res[f'real_{size}'] = {'boundary': boundary_density(held.masks).mean().item(), 'n_held_out': len(held)}
        held, mu, sd, net = cache[size]
        variants = {'drawn': m, 'segmenter': onehot(segment(net, im), c), 'guided': guided(im, m, mu, sd)}
        r = {'size': size}
        for k, v in variants.items():
            t = time.perf_counter(); cs = c2st(im, v, held.images, held.masks, splits=a.splits)
            r[k] = {'c2st_mask': cs['mask']['accuracy'], 'c2st_pair': cs['pair']['accuracy'], 'c2st_image': cs['image']['accuracy'],
                    'boundary': boundary_density(v).mean().item(), 'agree': (v.argmax(1) == m.argmax(1)).float().mean().item()}
            print(f.stem, size, k, {q: round(w, 3) for q, w in r[k].items()}, f"{time.perf_counter() - t:.0f} s", flush=True)
        res['runs'][f"{f.stem}_{size}px"] = r
    ms = lambda v: f"{np.mean(v):.2f} ± {np.std(v, ddof=1):.2f}" if len(v) > 1 else f"{v[0]:.2f}"
    L = [f"## Masks relabelled ({datetime.date.today()})", '',
         f"C2ST over {a.splits} splits per run against the held-out real slices, mean ± std over runs. Machine: "
         f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__}.", '',
         '| pairs | runs | masks | C2ST masks alone ↓ | C2ST pairs ↓ | C2ST images ↓ | boundaries per pixel pair (real) | pixels as drawn |',
         '|---|---|---|---|---|---|---|---|']
    groups = sorted({(re.sub(r'_seed\d+_\d+px$', '', k), v['size']) for k, v in res['runs'].items()}, key=lambda t: (t[1], t[0]))
    for arm, size in groups:
        rs = [v for k, v in res['runs'].items() if re.sub(r'_seed\d+_\d+px$', '', k) == arm and v['size'] == size]
        for k, name in [('drawn', 'as drawn'), ('segmenter', 'segmenter of the image'), ('guided', 'intensity-guided')]:
            L.append(f"| ({arm}) {size} px | {len(rs)} | {name} | {ms([r[k]['c2st_mask'] for r in rs])} | {ms([r[k]['c2st_pair'] for r in rs])} | "
                     f"{ms([r[k]['c2st_image'] for r in rs])} | {np.mean([r[k]['boundary'] for r in rs]):.3f} ({res[f'real_{size}']['boundary']:.3f}) | "
                     f"{np.mean([r[k]['agree'] for r in rs]):.2f} |")
    L += ['', f"Command: `python bench/mask_relabel.py {' '.join(a.files)} --output {a.output}`", '']
    Path(a.output).write_text('\n'.join(L)); Path(a.output).with_suffix('.json').write_text(json.dumps(res, indent=1))
    print('\n'.join(L))

if __name__ == '__main__': main()
