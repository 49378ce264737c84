"""Style refinement without downloaded weights: does it help? Generates pairs from a checkpoint and scores them as
they are and after style refinement with each feature extractor that needs no download, against the real slices:
  none      the generated images as they are
  vgg       VGG16 with the ImageNet weights when torchvision's cache holds them, else fixed-seed random weights
            (the offline fallback the package uses by default; the table says which)
  critic    the trained finest-scale critic's own features (its layers after the first and the attention block),
            the image padded with 'no class' mask channels
Scores (`alphagan_nb.evaluation.evaluate`, metrics swd, masks and c2st): image SWD, C2ST on images and pairs, and
mask fit (distance of class intensities from the real ones; style refinement must not move an image away from its
mask). Several sampling seeds; mean +- std. Run by hand, e.g.

    python bench/style_fallbacks.py runs/demo/train --seeds 3 --output bench/style_fallbacks.md
"""
import argparse, datetime, json, os, platform
from pathlib import Path
import numpy as np
import torch

from alphagan_nb.inference import load_model, training_slices, style_reference, make_style_transfer, refine_style
from alphagan_nb.singan_generator import generate
from alphagan_nb.style_transfer import StyleTransfer, CriticFeatureExtractor
from alphagan_nb.discriminator import make_critics
from alphagan_nb.evaluation import evaluate
from alphagan_nb.checkpoint import load_checkpoint


def finest_critic(ck, model):
    "The trained critic of the finest scale, rebuilt from the checkpoint."
    cfg = ck['train_config']
    critics = make_critics(len(model.sizes), model.out_channels, channels=cfg['base_channels'], use_attention=cfg['use_attention'])
    critics.load_state_dict(ck['critics'])
    return critics[len(model.sizes) - 1].eval()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('model_path'); p.add_argument('--seeds', type=int, default=3); p.add_argument('--num_samples', type=int, default=64)
    p.add_argument('--style_steps', type=int, default=None); p.add_argument('--output', default='bench/style_fallbacks.md')
    a = p.parse_args()
    model, ck = load_model(a.model_path, device='cpu')
    full = load_checkpoint(ck['path'])
    size = model.sizes[-1]
    real = training_slices(ck, size)
    style, where = style_reference(ck, size)
    vgg = make_style_transfer(a.style_steps)
    crit = finest_critic(full, model)
    layers = [n for n, _ in crit.named_children() if n in ('head', 'attention')]
    critic_st = StyleTransfer(CriticFeatureExtractor(crit, layers, pad_channels=model.mask_channels), num_steps=vgg.num_steps)
    arms = {'none': None, f"vgg ({getattr(vgg.feature_extractor, 'weights_source', '?')} weights)": vgg, 'critic features': critic_st}
    res = {k: [] for k in arms}
    for seed in range(a.seeds):
        images, masks = generate(model, a.num_samples, seed=100 + seed, progress=False)
        for name, st in arms.items():
            imgs = images if st is None else refine_style(images, style, st, progress=False)
            r = evaluate((imgs, masks), real, metrics=('swd', 'masks', 'c2st'), seed=seed, c2st_splits=3, progress=False)
            s = {'swd': float(np.mean(r['swd']['generated'])), 'swd_floor': float(np.mean(r['swd']['real'])),
                 'c2st_img': r['c2st']['image']['accuracy'], 'c2st_pair': r['c2st']['pair']['accuracy'],
                 'mask_w2': r['mask_fit']['intensity_distance']}
            res[name].append(s)
            print(f"seed {seed} {name:28s} " + ', '.join(f"{k} {v:.3f}" for k, v in s.items()), flush=True)
    def ms(v, d=2): v = np.array(v); return f"{v.mean():.{d}f} ± {v.std(ddof=1):.{d}f}" if len(v) > 1 else f"{v.mean():.{d}f}"
    floor = np.mean([s['swd_floor'] for r in res.values() for s in r])
    lines = [f"## Style refinement fallbacks ({datetime.date.today()})", '',
             f"Checkpoint `{a.model_path}` ({size} px), {a.num_samples} pairs per sampling seed, {a.seeds} seeds; style image: {where}; "
             f"{vgg.num_steps} Adam steps per image. Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
             f"torch {torch.__version__}, {torch.get_num_threads()} threads. Real SWD floor {floor:.0f}.", '',
             '| refinement | SWD ×10³ img ↓ | C2ST img ↓ | C2ST pair ↓ | mask-fit W2 ↓ |', '|---|---|---|---|---|']
    for name, r in res.items():
        lines.append(f"| {name} | {ms([s['swd'] for s in r], 0)} | {ms([s['c2st_img'] for s in r])} | {ms([s['c2st_pair'] for s in r])} | "
                     f"{ms([s['mask_w2'] for s in r], 3)} |")
    lines += ['', f"Command: `python bench/style_fallbacks.py {a.model_path} --seeds {a.seeds} --num_samples {a.num_samples} --output {a.output}`"]
    Path(a.output).write_text('\n'.join(lines) + '\n')
    Path(a.output).with_suffix('.json').write_text(json.dumps(res, indent=1))
    print('\n'.join(lines))


if __name__ == '__main__':
    main()
