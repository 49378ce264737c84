"""The SinGAN-Seg experiment at the scale of the MNI152 demo: K real slices, one single-image model each, M generated
pairs from each; a U-Net trained on the K*M synthetic pairs only, one on the K real slices, and one on both, all tested
on held-out slabs that no model saw. Run by hand (not part of the tests):

    python bench/single_image_kslice.py                                   # K=10, M=20, 64 px, 30 s per scale
    python bench/single_image_kslice.py --k 2 --m 4 --time_per_scale 2 --unet_epochs 1 --output /tmp/k.md   # smoke run

Each model is trained by `single_batch` (the `alphagan_single_batch` workflow: one folder per pair, a manifest, resumable
pair by pair), with ConSinGAN's scale spacing and a wall-clock budget per scale; the K slices are spread evenly over
the training slabs (`evaluation.slab_split`, the ablation's split). SinGAN-Seg (Thambawita et al., PLoS ONE 2022)
reports a train-on-synthetic ratio of about 0.97 on polyps (F1 0.863 against 0.888). Writes a markdown table and a
JSON file with the settings, the per-class Dice of every U-Net and the training time of every model.
"""
import argparse, datetime, json, os, platform, sys, tempfile, time
from pathlib import Path

import numpy as np
import torch
from PIL import Image as PILImage

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alphagan_nb.demo_data import load_mni152
from alphagan_nb.transforms import onehot_to_labels
from alphagan_nb.evaluation import slab_split, usefulness, jsonable
from alphagan_nb.inference import load_model
from alphagan_nb.singan_generator import generate, hard_masks
from alphagan_nb.single_image import single_batch

RATIO_KEY = {'synthetic': 'ratio', 'real+synthetic': 'ratio_mixed'}   # `usefulness`'s ratio of each arm to real

def write_pair(data, i, folder):
    "Slice `i` as a 16-bit PNG and its label map as an 8-bit PNG (the files a user would have)."
    stem = f'slice{i:03d}'
    PILImage.fromarray(((data.images[i, 0].numpy() + 1) / 2 * 65535).round().astype(np.uint16)).save(folder/'images'/f'{stem}.png')
    PILImage.fromarray(onehot_to_labels(data.masks[i]).numpy().astype(np.uint8)).save(folder/'masks'/f'{stem}.png')
    return stem

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--k', type=int, default=10, help='real slices, one model each (default 10)')
    p.add_argument('--m', type=int, default=20, help='pairs generated per model (default 20)')
    p.add_argument('--size', type=int, default=64, help='slice side in pixels (default 64)')
    p.add_argument('--num_scales', type=int, default=5, help='scales per model (ConSinGAN spacing from 16 px; default 5)')
    p.add_argument('--time_per_scale', type=float, default=30, help='training seconds per scale (default 30)')
    p.add_argument('--unet_epochs', type=int, default=20, help='U-Net epochs (default 20)')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--threads', type=int, default=None, help="torch CPU threads (default: torch's choice)")
    p.add_argument('--work_dir', default=None, help='keep the models here (default: a temporary folder); a second run resumes')
    p.add_argument('--output', default=str(ROOT/'bench'/'single_image_kslice.md'), help='markdown table (a .json goes beside it)')
    args = p.parse_args()
    if args.threads: torch.set_num_threads(args.threads)
    started, t_all = datetime.datetime.now(), time.perf_counter()
    real = load_mni152(size=args.size)
    train, held = slab_split(real, holdout=0.25, slab=8, gap=2, seed=0)
    if not 1 <= args.k <= len(train): p.error(f"--k must be between 1 and the {len(train)} training slices")
    picks = np.linspace(0, len(train) - 1, args.k + 2).round().astype(int)[1:-1]   # spread out, ends left out
    tmp = None if args.work_dir else tempfile.TemporaryDirectory()
    work = Path(args.work_dir or tmp.name)
    for sub in ('images', 'masks'): (work/sub).mkdir(parents=True, exist_ok=True)
    stems = [write_pair(train, int(i), work) for i in picks]
    print(f"{args.k} slices {list(map(int, picks))} of {len(train)} training slices; {args.num_scales} scales to {args.size} px, "
          f"{args.time_per_scale:g} s each", flush=True)
    rows = single_batch(work/'images', work/'masks', output_dir=work/'models', num_samples=0, seed=args.seed,
                        num_scales=args.num_scales, min_size=16, max_size=args.size, scale_spacing='consingan',
                        steps_per_scale='1000000', time_per_scale=str(args.time_per_scale), threads=args.threads or 0)
    failed = [r for r in rows if r['status'] == 'failed']
    if failed: raise SystemExit(f"{len(failed)} pair(s) failed: " + '; '.join(f"{r['stem']}: {r['error']}" for r in failed))
    images, masks = [], []
    for j, r in enumerate(rows):
        model, _ = load_model(r['checkpoint'], device='cpu')
        im, mk = generate(model, args.m, seed=args.seed * 1000 + j, progress=False)
        images.append(im); masks.append(mk)
    images, masks = torch.cat(images), torch.cat(masks)
    masks = hard_masks(masks.float())   # one class per pixel, as real masks are
    kreal = train.subset([int(i) for i in picks])
    res = usefulness(images, masks, kreal, held, epochs=args.unet_epochs, seed=args.seed)
    total = time.perf_counter() - t_all
    secs = [float(r['train_seconds'] or 0) for r in rows]
    names = list(res['real']['dice'])
    arms = [a for a in ('real', 'synthetic', 'real+synthetic') if a in res]
    label = {'real': f'{args.k} real slices', 'synthetic': f'{len(images)} synthetic pairs ({args.m} per model)', 'real+synthetic': 'both'}
    lines = [f"## SinGAN-Seg at our scale: {args.k} real MNI152 slices, one model each ({started:%Y-%m-%d})", '',
             f"{args.k} training slices at {args.size} px (spread over the training slabs), one single-image model each "
             f"({args.num_scales} scales, ConSinGAN spacing from 16 px, {args.time_per_scale:g} s per scale; training "
             f"{np.mean(secs):.0f} s per model on average), {args.m} pairs generated per model. U-Nets ({res['steps']} updates) "
             f"tested on {len(held)} held-out slices (whole slabs no model saw). Machine: {platform.processor() or platform.machine()}, "
             f"{os.cpu_count()} CPUs, torch {torch.__version__} ({torch.backends.cpu.get_cpu_capability()}) with {torch.get_num_threads()} threads. "
             f"Total {total / 60:.1f} min.", '',
             '| U-Net trained on | ' + ' | '.join(names) + ' | mean Dice | ratio to real |', '|---|' + '---|' * (len(names) + 2)]
    for a in arms:
        d = res[a]
        r = 1.0 if a == 'real' else res.get(RATIO_KEY[a])
        ratio = '–' if r is None else f'{r:.2f}'
        lines.append(f"| {label[a]} | " + ' | '.join(f'{d["dice"][n]:.3f}' for n in names) + f" | {d['mean_dice']:.3f} | {ratio} |")
    lines += ['', f"Command: `python bench/single_image_kslice.py {' '.join(sys.argv[1:])}`", '']
    out = Path(args.output); out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text('\n'.join(lines))
    out.with_suffix('.json').write_text(json.dumps(jsonable({'args': vars(args), 'date': started.isoformat(timespec='seconds'),
        'picks': [int(i) for i in picks], 'train_seconds': dict(zip(stems, secs)), 'total_seconds': total, 'usefulness': res}), indent=1))
    print('\n'.join(lines)); print(f"wrote {out} and {out.with_suffix('.json')}")

if __name__ == '__main__':
    main()
