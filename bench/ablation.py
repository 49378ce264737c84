"""Ablation of alphagan_nb on the MNI152 demo at 64 px: every variant trains for the same wall-clock time, several
seeds each, and is scored by `alphagan_nb.evaluation.evaluate`. Run by hand (not part of the tests):

    python bench/ablation.py                          # the table: about an hour on a 2-core CPU (see below)
    python bench/ablation.py --budget 6 --seeds 1 --num_samples 16 --unet_epochs 1 --style_steps 2 --output /tmp/ablation.md
                                                      # a smoke run of a few minutes (numbers meaningless)

Variants (all generate image + mask pairs, judged jointly by the critics):
  (a) single scale, no attention: num_scales=1 (the plain Alpha-GAN-GP at 64 px), use_attention=False
  (b) single scale with attention
  (c) multi-scale pyramid 16 -> 32 -> 64 px with joint masks, no attention
  (d) the full model: pyramid with attention
  (e) the full model + style refinement at generation (the (d) generators of the same seeds: no extra training)
  (J), (K) (with --arms cdJ or dK): attention in the generators only (the default since 2026-12-01, so (d) is (J)),
           or in the critics too (the model before)
  (m), (n) (with --arms mn): the full model with a higher learning rate, a narrower coarsest generator and half the
           budget at 16 px (their own shares 0.5/0.2/0.3), and (n) with a lighter reconstruction pull at the refiners
  (f), (g) (with --arms dfg): the full model with the lazy gradient penalty (every 4th critic step) or with one critic
           step per generator step: the speed levers that trade accuracy for speed, measured on quality at equal budget
  (o) (with --arms do): the full model with its 64 px refiner trained on random 32 px crops (`crop_size=32`)
  (p) (with --arms dp): the full model whose critics see generated masks hardened to one class per pixel (`hard_masks`)
  (q), (r) (with --arms dqr): refiners that learn on the real slices of the coarser scale (`refine_from='real'`), (q) also
           with the reconstruction loss alone over the first quarter of each refiner's time (`refine_warmup=0.25`)
  (s) (with --arms qs): arm (q) whose critics also see hard masks (`hard_masks=True`)
  (t) (with --arms dt): the refiners' reconstruction on block averages (`refine_rec='lowpass'`)
  (u), (v) (with --arms duv): the finest refiner learns on real 16 px slices refined by refiner 1 (`refine_from='refined'`),
           and (v) also trains refiner 1 at a tenth of the rate while refiner 2 trains (`refine_joint=0.1`)
  (R) (alone: --arms R): the research preset (4 scales to 128 px, its own time per scale) on the training slabs at 128 px
  (P) (with --arms JP): as (L), but only the image's pull fades; the masks' reconstruction keeps weight 100
           (`refine_rec_anneal_masks=False`)
  (N), (S) (with --arms JN, or --arms RS alone): the masks of (J) or (R) with their specks (pieces under 2 px at 64 px,
           under 4 px at 128 px) merged into the class around them at generation (`merge_islands`), no extra training.
           Every arm scores the masks as the pyramid drew them (`min_island=0`), so (R) is the preset without the merging
           that `generate` applies by default at 128 px since 2026-12-02, and (S) is the preset as users get it
  (Q) (alone: --arms Q): the three-scale quick preset by its own steps (16 / 32 / 64 px, 2000 / 1000 / 500, as
           `alphagan_demo` trained it until 2026-12-02), no time budget, on the training slabs: how the demo's model
           scored on slabs it never saw
  (W) (alone: --arms W): as (Q), with an exponential moving average of the generator's weights (`ema=0.999`)
  (Z) (in bench/critic_rec.py, which adds it to these arms): self-supervised critics, FastGAN's decoder of real pairs
  (Y) (alone: --arms Y): as (Q), on the four scales of (T), 2000 / 600 / 400 / 500 steps: the quick preset as
           `alphagan_demo` trains it since 2026-12-02
  (T), (U) (with --arms dTU): four scales 16 / 25 / 40 / 64 px (shares 0.45/0.1/0.15/0.3), or refiners and critics 64
           channels wide (`base_channels=64`): capacity where the detail is made
  (G), (O), (V) (with --arms GO --budget 1060; V with --arms V --rescore --pairs_dir the pairs of Y): the paper's components on
           the four-scale quick model at (Y)'s wall-clock: no attention (Y's measured per-scale shares), one 64 px scale with
           attention (no pyramid), and (Y)'s saved pairs refined by style transfer
  (L), (M) (with --arms dLM): the refiners' reconstruction weight falling from 100 to 10 over each refiner's adversarial
           steps (`refine_rec_anneal=0.1`), or their critics' inputs blurred twice as much (`refine_degrade=2`)
  (X), (8) (alone, by steps): (Y) with four or eight times its refiners' warm-up steps and the same adversarial steps;
           (8) is the quick preset's schedule since 2026-12-03 (Q, W and Y pin the quarter warm-up they were measured with)
  (9) (with --arms 9 --rescore --pairs_dir the pairs of 8): (8)'s pairs with mask pieces under 2 px merged
  (7) (alone, by steps): (8) without attention anywhere, the same steps
  (3), (2), (0) (with --arms 8320): (8)'s generators sampled differently, no extra training: the refiners' noise at half
           amplitude (`noise_scale=0.5`), the codes shrunk towards 0 (z × 0.7, the truncation trick), or both
  (P8) (with --arms P8,1 or alone, by steps): (8) whose refiners reconstruct, and warm up, from the pyramid's own
           zero-noise reconstructions of the real slices (`rec_from_pyramid`, SinGAN's way) instead of the real coarser slices
  (K3), (M10) (with --arms 8,K3,M10): (8)'s generators with codes drawn near the encoded training pairs instead of from
           the prior: a training pair's code plus noise of std 0.3, or a 10-component diagonal Gaussian mixture fitted to
           the codes (the ex-post density of regularised autoencoders, Ghosh et al., ICLR 2020)
  (1) (with --arms 81): the joint masks' arm: (8)'s images labelled afterwards by a U-Net trained on the real training
           pairs (the evaluation's U-Net and steps) instead of the pyramid's own mask channels
  With --pairs_dir every trained generator is saved beside its pairs (ARM_seedN_checkpoint.pt), so that (3), (2), (0)
  can also be scored later with --rescore.

Every arm runs on the current defaults of `TrainConfig`. Since 2026-11-30 these train refiners on real coarser slices
after a warm-up, so (d) is now what (q) was; the (d) of the earlier tables is `refine_from='pyramid', refine_warmup=0`.

Equal budget: every variant trains through `TrainConfig.time_per_scale`, each scale until its share of the budget is
spent (default shares 0.3/0.3/0.4 for three scales, everything for one), with the learning-rate drop at the same
fraction of the scale's time as `lr_decay_at` of its steps. Step counts
therefore depend on the machine and its load: they are reported per variant. All variants train on the same training
slabs; the held-out slabs (whole slabs with a gap, `evaluation.slab_split`) are never seen by a generator, so the
train-on-synthetic Dice and the memorisation check are clean. Writes a markdown table (mean +- std over seeds, with
the date and the command) and a JSON file with every run's full `evaluate` result.

Time on a 2-core CPU: the table in bench/ablation.md (2026-11-25) took 57 minutes with one thread pinned to one core
(`OMP_NUM_THREADS=1 taskset -c 0 python bench/ablation.py --threads 1`): training 4 variants x 3 seeds x 240 s = 48 min,
evaluation of 15 runs about 20 s each, style refinement of 64 pairs about 1.5 min per seed.
"""
import argparse, datetime, json, math, os, platform, sys, tempfile, time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alphagan_nb.demo_data import load_mni152
from alphagan_nb.train_singan import Trainer, TrainConfig, TrainingDiverged
from alphagan_nb.evaluation import evaluate, slab_split, jsonable
from alphagan_nb.singan_generator import generate, hard_masks, merge_islands, sample_inputs
from alphagan_nb.torch_utils import param_count

# the warm-up of the quick preset until 2026-12-03 (a quarter of each refiner's steps, the learning rate dropping at
# 0.8 of them), which the arms trained by steps before then had; the defaults are now longer (`TrainConfig.resolve_schedule`)
QUARTER = dict(refine_warmup=0.25, lr_decay_at=0.8)
# the quick preset's schedule since 2026-12-03, written out so that arms (8) and (7) keep it if the defaults move again
LONG = dict(num_scales=4, steps_per_scale='2000,1650,1100,1375', refine_warmup=0.72727, lr_decay_at=0.92727)

ARMS = {
    'a': dict(label='(a) single scale, no attention', num_scales=1, min_size=64, use_attention=False),
    'b': dict(label='(b) single scale, attention', num_scales=1, min_size=64, use_attention=True),
    'c': dict(label='(c) multi-scale, joint masks, no attention', num_scales=3, min_size=16, use_attention=False),
    'd': dict(label='(d) full model', num_scales=3, min_size=16, use_attention=True),
    'e': dict(label='(e) full model + style refinement', reuse='d', style=True),
    # speed levers that trade accuracy for speed, measured on quality at the same budget (not part of the default table)
    'f': dict(label='(f) full model, lazy GP (every 4th critic step)', num_scales=3, min_size=16, use_attention=True, extra=dict(gp_interval=4)),
    'g': dict(label='(g) full model, 1 critic step per generator step', num_scales=3, min_size=16, use_attention=True, extra=dict(critic_iterations=1)),
    # realism levers for a hundred slices of one head (with --arms dhij)
    'h': dict(label='(h) full model + DiffAugment', num_scales=3, min_size=16, use_attention=True, extra=dict(diffaugment='color,translation,cutout')),
    'i': dict(label='(i) full model + weight averaging', num_scales=3, min_size=16, use_attention=True, extra=dict(ema=0.999)),
    'j': dict(label='(j) full model + DiffAugment + weight averaging', num_scales=3, min_size=16, use_attention=True,
              extra=dict(diffaugment='color,translation,cutout', ema=0.999)),
    # (with --arms dkl) the coarsest scale's reconstruction weighted 30 (scale-0 diagnostics: samples much closer to real at equal time),
    # critics shown hard masks, on top of (j); with and without attention
    'k': dict(label='(k) full model + DiffAugment + averaging + hard masks + rec_weight 30', num_scales=3, min_size=16, use_attention=True,
              extra=dict(diffaugment='color,translation,cutout', ema=0.999, hard_masks=True, rec_weight=30.0)),
    'l': dict(label='(l) as (k), no attention', num_scales=3, min_size=16, use_attention=False,
              extra=dict(diffaugment='color,translation,cutout', ema=0.999, hard_masks=True, rec_weight=30.0)),
    'm': dict(label='(m) full model, lr 5e-4, coarse width 32, half the budget at 16 px', num_scales=3, min_size=16, use_attention=True,
              split='0.5,0.2,0.3', extra=dict(lr=5e-4, coarse_channels=32)),
    'n': dict(label='(n) as (m), refiner reconstruction weight 10', num_scales=3, min_size=16, use_attention=True,
              split='0.5,0.2,0.3', extra=dict(lr=5e-4, coarse_channels=32, refine_rec_weight=10.0)),
    # (with --arms do) the 64 px refiner trained on random 32 px crops: about three times the steps in the same time
    'o': dict(label='(o) full model, 64 px scale on 32 px crops', num_scales=3, min_size=16, use_attention=True, extra=dict(crop_size=32)),
    # (with --arms dp) critics shown the generated masks as one class per pixel, like the real ones (straight-through gradients)
    'p': dict(label='(p) full model, critics see hard masks', num_scales=3, min_size=16, use_attention=True, extra=dict(hard_masks=True)),
    # (with --arms dqr) refiners that learn on real coarser slices (their critics judge only the detail they add),
    # with and without a reconstruction-only warm-up over the first quarter of each refiner's time
    'q': dict(label='(q) full model, refiners from real coarser slices + reconstruction warm-up', num_scales=3, min_size=16, use_attention=True,
              extra=dict(refine_from='real', refine_warmup=0.25)),
    'r': dict(label='(r) full model, refiners from real coarser slices', num_scales=3, min_size=16, use_attention=True, extra=dict(refine_from='real')),
    # (with --arms qs) arm (q), whose critics also see hard masks
    's': dict(label='(s) as (q), critics see hard masks', num_scales=3, min_size=16, use_attention=True,
              extra=dict(refine_from='real', refine_warmup=0.25, hard_masks=True)),
    # (with --arms dt) the refiners' reconstruction on 2 x 2 block averages: the layout pinned, the detail left to the critics
    't': dict(label='(t) full model, low-pass reconstruction at the refiners', num_scales=3, min_size=16, use_attention=True,
              extra=dict(refine_rec='lowpass')),
    # (with --arms du) the finest refiner learns on what it is given when sampling: real 16 px slices refined by refiner 1
    'u': dict(label='(u) full model, refiners from refined coarser slices', num_scales=3, min_size=16, use_attention=True,
              extra=dict(refine_from='refined')),
    # (with --arms duv) as (u), and refiner 1 keeps training at a tenth of the rate while refiner 2 trains, judged by the 64 px critic
    'v': dict(label='(v) as (u), refiners 1 and 2 trained together at the last scale', num_scales=3, min_size=16, use_attention=True,
              extra=dict(refine_from='refined', refine_joint=0.1)),
    # the pyramid starts at 32 px: the latent generator draws the 32 px layout, one refiner adds the 64 px detail
    'w': dict(label='(w) two scales: 32 px latent generator, one refiner', num_scales=2, min_size=32, use_attention=True, split='0.7,0.3'),
    # (with --arms dx) each refiner and critic starts from the trained ones of the scale below (SinGAN's initialisation);
    # the default since 2026-12-01, so (d) warm-starts too; (E) is the full model as it was before, from random weights
    'x': dict(label='(x) full model, scales warm-started from the scale below', num_scales=3, min_size=16, use_attention=True, extra=dict(warm_start=True)),
    'E': dict(label='(E) full model, scales from random weights', num_scales=3, min_size=16, use_attention=True, extra=dict(warm_start=False)),
    # (with --arms dxAB) the same two models with most of the time at the coarsest scale, where the layout is drawn
    'A': dict(label='(A) full model, 0.7 of the time at 16 px', num_scales=3, min_size=16, use_attention=True, split='0.7,0.1,0.2', extra=dict(warm_start=False)),
    'B': dict(label='(B) as (x), 0.7 of the time at 16 px', num_scales=3, min_size=16, use_attention=True, split='0.7,0.1,0.2', extra=dict(warm_start=True)),
    # (with --arms dxCD) deeper refiners, 6 conv blocks instead of 4 (7 convolutions of 3 x 3 instead of 5: a receptive field of 15 px instead of 11, before attention), cold and warm-started
    'C': dict(label='(C) full model, refiners of 6 blocks', num_scales=3, min_size=16, use_attention=True, extra=dict(num_blocks=6, warm_start=False)),
    'D': dict(label='(D) as (x), refiners of 6 blocks', num_scales=3, min_size=16, use_attention=True, extra=dict(warm_start=True, num_blocks=6)),
    'y': dict(label='(y) full model + mask consistency (weight 1)', num_scales=3, min_size=16, use_attention=True, extra=dict(mask_consistency=1.0)),
    'z': dict(label='(z) full model + mask consistency (weight 10)', num_scales=3, min_size=16, use_attention=True, extra=dict(mask_consistency=10.0)),
    # refiners robust to the softer samples of the scales below: blurred real inputs for the critic (H), for the reconstruction too (F), or none (I)
    'F': dict(label='(F) full model, refiners learn from blurred coarser slices (refine_degrade 1, reconstruction too)', num_scales=3, min_size=16, use_attention=True, extra=dict(refine_degrade=1.0, degrade_rec=True)),
    'H': dict(label='(H) full model, critics judge refinements of blurred coarser slices (refine_degrade 1)', num_scales=3, min_size=16, use_attention=True, extra=dict(refine_degrade=1.0)),
    'I': dict(label='(I) full model, critics judge refinements of sharp coarser slices (refine_degrade 0)', num_scales=3, min_size=16, use_attention=True, extra=dict(refine_degrade=0.0)),
    # (with --arms cdJ) attention in the generators and the encoder only: the critics, called most often, without it;
    # the default since 2026-12-01, so (d) is (J) now; (K) is the full model as it was before, attention in the critics too
    'J': dict(label='(J) full model, attention in the generators only (critic_attention=False)', num_scales=3, min_size=16, use_attention=True, extra=dict(critic_attention=False)),
    'K': dict(label='(K) full model, attention in the critics too (critic_attention=True)', num_scales=3, min_size=16, use_attention=True, extra=dict(critic_attention=True)),
    # the pull to the mean at the refiners (with --arms dLM)
    'L': dict(label='(L) full model, refiners\' reconstruction weight annealed 100 -> 10 (refine_rec_anneal=0.1)', num_scales=3, min_size=16, use_attention=True, extra=dict(refine_rec_anneal=0.1)),
    'M': dict(label='(M) full model, critics judge refinements of coarser slices blurred twice as much (refine_degrade 2)', num_scales=3, min_size=16, use_attention=True, extra=dict(refine_degrade=2.0)),
    # (with --arms JP) the fading pull of (L) on the image only: the masks' reconstruction keeps its full weight
    'P': dict(label='(P) as (L), the masks\' pull kept at 100 (refine_rec_anneal_masks=False)', num_scales=3, min_size=16, use_attention=True, extra=dict(refine_rec_anneal=0.1, refine_rec_anneal_masks=False)),
    # the research preset on the training slabs at 128 px, on its own time (300/600/900/1200 s; --budget and --split do not apply)
    'R': dict(label='(R) research preset: 4 scales to 128 px, 300 / 600 / 900 / 1200 s, the 128 px scale on 64 px crops', preset='research', size=128),
    # specks of the generated masks merged into their surroundings at generation (`merge_islands`): the generators of (J) or (R), no extra training
    # the quick preset as alphagan_demo trains it: its own steps per scale, no time budget (--budget and --split do not apply)
    'Q': dict(label='(Q) the three-scale quick preset (alphagan_demo until 2026-12-02): 2000 / 1000 / 500 steps, no time budget', preset='quick',
              extra=dict(num_scales=3, steps_per_scale='2000,1000,500', **QUARTER)),
    # the quick preset by its steps with weight averaging of the generator being trained (ema=0.999), against (Q)
    'W': dict(label='(W) as (Q), weight averaging (ema=0.999)', preset='quick', extra=dict(num_scales=3, steps_per_scale='2000,1000,500', ema=0.999, **QUARTER)),
    # capacity where the detail is made (with --arms dTU): four scales 16 -> 25 -> 40 -> 64 px, so that each refiner adds a
    # smaller step of detail (SinGAN's many small scales; the 64 px scale keeps its 0.3 of the time), or refiners and
    # critics twice as wide (64 channels: about 4 times the arithmetic per step)
    'T': dict(label='(T) full model, four scales 16 / 25 / 40 / 64 px', num_scales=4, min_size=16, use_attention=True, split='0.45,0.1,0.15,0.3'),
    'U': dict(label='(U) full model, refiners and critics 64 channels wide', num_scales=3, min_size=16, use_attention=True, extra=dict(base_channels=64)),
    # (alone: --arms Y) the quick preset by its steps as (Q), on the four scales of (T): the 32 px scale's 1000 steps
    # become 600 at 25 px and 400 at 40 px (about the same time on one thread)
    'Y': dict(label='(Y) as (Q), four scales 16 / 25 / 40 / 64 px: 2000 / 600 / 400 / 500 steps', preset='quick',
              extra=dict(num_scales=4, steps_per_scale='2000,600,400,500', **QUARTER)),
    # (Y) with four times its refiners' warm-up steps (reconstruction alone, no critics: about a fifth of an adversarial
    # step's time) and the same adversarial steps, the learning rate dropping after the same adversarial steps (the
    # coarsest scale's drop moves from step 1600 to 1772): by time, (G) and (Z) spend a quarter of each scale's seconds,
    # not of its steps, on the warm-up, so they take several times (Y)'s warm-up steps
    'X': dict(label='(X) as (Y), refiners warm up four times as long: 2000 / 1050 / 700 / 875 steps, 0.571 of them warm-up', preset='quick',
              extra=dict(num_scales=4, steps_per_scale='2000,1050,700,875', refine_warmup=0.571, lr_decay_at=0.8857)),
    # (X) with twice its warm-up again (with --arms 8)
    '8': dict(label='(8) as (Y), refiners warm up eight times as long: 2000 / 1650 / 1100 / 1375 steps, 0.727 of them warm-up', preset='quick',
              extra=LONG),
    # the quick preset's model since 2026-12-03 without its attention, by the same steps (with --arms 7): what attention adds at
    # equal steps, and what it costs in time
    '7': dict(label='(7) as (8), no attention (by the same steps)', preset='quick',
              extra=dict(LONG, use_attention=False)),
    # the paper's components on the four-scale quick model (with --arms GO --budget 1060, and V --rescore on the pairs of Y):
    # no attention at (Y)'s wall-clock and its measured per-scale shares (218 / 82 / 134 / 460 s of the landing-page demo),
    # one 64 px scale with attention for the same time, and (Y)'s own pairs refined by style transfer (no training)
    'G': dict(label='(G) as (Y) at its time, no attention (four scales, shares 0.244 / 0.092 / 0.150 / 0.514)', num_scales=4, min_size=16,
              use_attention=False, split='0.244,0.092,0.150,0.514'),
    # (G)'s twin with attention, trained by time like (G) (with --arms GZ on one day: (Y) trains by steps, and took
    # fewer warm-up steps than a by-time arm in the same seconds)
    'Z': dict(label='(Z) as (G) with attention (four scales by time, shares 0.244 / 0.092 / 0.150 / 0.514)', num_scales=4, min_size=16,
              use_attention=True, split='0.244,0.092,0.150,0.514'),
    'O': dict(label='(O) as (Y) at its time, one 64 px scale with attention (no pyramid)', num_scales=1, min_size=64, use_attention=True),
    'V': dict(label='(V) (Y) + style refinement', reuse='Y', style=True),
    'N': dict(label='(N) as (J), mask pieces under 2 px merged into their surroundings', reuse='J', islands=2),
    'S': dict(label='(S) as (R), mask pieces under 4 px merged into their surroundings', reuse='R', islands=4, size=128),
    # (with --arms 9 --rescore --pairs_dir the pairs of 8) the masks of the long warm-up's pairs with their specks merged
    '9': dict(label='(9) as (8), mask pieces under 2 px merged into their surroundings', reuse='8', islands=2),
    # the paper's components on the quick preset's model since 2026-12-03 (attention: arm 7): one 64 px scale with attention
    # for (8)'s training time (with --arms 5 --budget 1350), and (8)'s own pairs refined by style transfer (--arms 6 --rescore
    # --pairs_dir the pairs of 8; no training)
    '5': dict(label='(5) as (8) at its time, one 64 px scale with attention (no pyramid)', num_scales=1, min_size=64, use_attention=True),
    '6': dict(label='(6) (8) + style refinement', reuse='8', style=True),
    # (with --arms 4) after the long warm-up, the image's reconstruction pull fades over the adversarial steps so that the
    # critics can add detail the pixel loss averages away; the masks stay pinned (they are what the pair test finds)
    '4': dict(label="(4) as (8), the image's reconstruction pull fading 100 -> 10 over the adversarial steps, the masks' kept", preset='quick',
              extra=dict(LONG, refine_rec_anneal=0.1, refine_rec_anneal_masks=False)),
    # sampling-time levers and the joint masks' own arm, on (8)'s trained generators (no extra training: with --pairs_dir the
    # generators are kept beside their pairs, so that these arms can also be scored later with --rescore)
    '3': dict(label="(3) (8) sampled with the refiners' noise at half amplitude (noise_scale 0.5)", reuse='8', sample=dict(noise_scale=0.5)),
    '2': dict(label="(2) (8) sampled with truncated codes (z × 0.7)", reuse='8', sample=dict(truncation=0.7)),
    '0': dict(label="(0) (8) sampled with truncated codes (z × 0.7) and half the refiners' noise", reuse='8', sample=dict(noise_scale=0.5, truncation=0.7)),
    'P8': dict(label="(P8) as (8), refiners reconstruct from the pyramid's own zero-noise reconstructions of the real slices (rec_from_pyramid)", preset='quick',
               extra=dict(LONG, rec_from_pyramid=True)),
    'K3': dict(label="(K3) (8) sampled with codes near the encoded training pairs (a Gaussian kernel density of bandwidth 0.3)", reuse='8', sample=dict(code_kde=0.3)),
    'M10': dict(label="(M10) (8) sampled with codes from a 10-component Gaussian mixture fitted to the encoded training pairs (RAE's ex-post density)",
                reuse='8', sample=dict(code_gmm=10)),
    '1': dict(label="(1) (8)'s images, masks drawn by a U-Net trained on the real training pairs instead of the pyramid's mask channels (no joint masks)",
              reuse='8', segmented=True),
}

def training_codes(model, train):
    "The codes the encoder gives the real training pairs (n, z_dim), on the CPU."
    with torch.no_grad():
        pairs = torch.cat([train.images, train.masks], 1).to(model.device)
        return torch.cat([model.encode(b) for b in pairs.split(64)]).float().cpu()

def drawn_codes(model, n, seed, train=None, truncation=1.0, code_kde=None, code_gmm=None):
    "n codes: `generate`'s own draws × truncation, or draws near the encoded training pairs (`code_kde`: a training code plus "
    "Gaussian noise of that std; `code_gmm`: a diagonal Gaussian mixture of that many components fitted to the codes)."
    if not (code_kde or code_gmm): return sample_inputs(model, seed, list(range(n)))[0] * truncation
    z, g = training_codes(model, train), torch.Generator().manual_seed(seed)
    if code_kde: return z[torch.randint(len(z), (n,), generator=g)] + code_kde * torch.randn(n, z.shape[1], generator=g)
    from sklearn.mixture import GaussianMixture
    gm = GaussianMixture(code_gmm, covariance_type='diag', reg_covar=1e-3, random_state=seed).fit(z.numpy())
    return torch.tensor(gm.sample(n)[0], dtype=torch.float32)[torch.randperm(n, generator=g)]   # sample() groups by component

def sample_pairs(model, n, seed, noise_scale=1.0, truncation=1.0, code_kde=None, code_gmm=None, train=None):
    "Pairs (images, raw mask channels) of `generate`'s noise streams, with the refiners' noise scaled and the codes drawn by `drawn_codes`."
    if truncation == 1.0 and not (code_kde or code_gmm): return generate(model, n, seed=seed, noise_scale=noise_scale, progress=False, hard=False)
    outs, was = [], model.training
    codes = drawn_codes(model, n, seed, train, truncation, code_kde, code_gmm)
    model.eval()
    with torch.no_grad():
        for b0 in range(0, n, 16):
            idx = list(range(b0, min(b0 + 16, n)))
            noises, dev = sample_inputs(model, seed, idx)[1], model.device
            outs.append([v.float().cpu() for v in model(codes[idx].to(dev), noises=[None if x is None else x.to(dev) for x in noises], noise_scale=noise_scale)])
    model.train(was)
    return tuple(torch.cat(v) for v in zip(*outs))

def segmented_masks(images, train, args, seed):
    "One-hot masks of `images` drawn by a U-Net trained on the real training pairs (the evaluation's U-Net and steps): labelling after generation."
    from alphagan_nb.evaluation import train_segmenter, segment, unet_channels
    from alphagan_nb.transforms import onehot_to_labels, labels_to_onehot
    C = train.masks.shape[1]
    steps = max(600, args.unet_epochs * math.ceil(len(train) / 4))
    net = train_segmenter(train.images, onehot_to_labels(train.masks), C, steps, 4, channels=unet_channels(train.size), seed=seed, device=args.device)
    return labels_to_onehot(segment(net, images), C).float() * 2 - 1

def train_arm(arm, seed, train, args, workdir):
    "Train one variant for the same wall-clock budget as every other, through `TrainConfig.time_per_scale`."
    a = ARMS[arm]
    common = dict(demo=True, output_dir=str(workdir / f'{arm}_seed{seed}'), seed=seed, device=args.device, threads=args.threads or 0, **a.get('extra', {}))
    if 'preset' in a: return fit_arm(TrainConfig(preset=a['preset'], **common), train)   # the preset's own scales, sizes and time per scale
    n = a['num_scales']
    split = [float(v) for v in (a.get('split', args.split).split(',') if n > 1 else ['1'])]
    if len(split) != n: raise SystemExit(f"--split needs {n} shares for {n} scales, got {args.split}")
    per_scale = ','.join(f'{args.budget * f / sum(split):.3f}' for f in split)
    return fit_arm(TrainConfig(num_scales=n, min_size=a['min_size'], max_size=64, use_attention=a['use_attention'], steps_per_scale='1000000',
                               time_per_scale=per_scale, **common), train)

def arm_size(arm): return ARMS[arm].get('size', 64)

def train_seconds(arm, args):
    "Training seconds of one run of `arm`: --budget, or its preset's own time."
    a = ARMS[arm]
    if 'preset' not in a: return args.budget
    t = TrainConfig(demo=True, preset=a['preset']).resolve_preset().time_per_scale
    return sum(float(v) for v in t.split(',')) if t else 0.0   # a preset trained by steps: its time is not known in advance

def fit_arm(cfg, train):
    "Train one configuration on the training slabs; the model and its steps, time and size."
    tr = Trainer(cfg, data=train, quiet=True)
    t0 = time.perf_counter()
    model = tr.fit()
    return model, {'train_seconds': round(time.perf_counter() - t0, 1), 'steps': tr.steps_done, 'params': param_count(model)}

def summarise(res):
    "The numbers of one evaluate() result that go into the table."
    u, m, mf = res.get('usefulness', {}), res.get('memorisation', {}), res.get('mask_fit', {})
    return {'swd': float(np.mean(res['swd']['generated'])), 'swd_floor': float(np.mean(res['swd']['real'])),
            'swd_masks': float(np.mean(res['swd_masks']['generated'])) if 'swd_masks' in res else math.nan,
            'swd_masks_floor': float(np.mean(res['swd_masks']['real'])) if 'swd_masks' in res else math.nan,
            'msssim': res['diversity']['generated']['mean'], 'msssim_real': res['diversity']['real']['mean'],
            'mask_w2': mf.get('intensity_distance', math.nan), 'fragmented': mf.get('fragmented_generated', math.nan),
            'fragmented_real': mf.get('fragmented_real', math.nan),
            'dice_synth': u.get('synthetic', {}).get('mean_dice', math.nan), 'dice_real': u.get('real', {}).get('mean_dice', math.nan),
            'ratio': math.nan if u.get('ratio') is None else u['ratio'], 'ratio_mixed': math.nan if u.get('ratio_mixed') is None else u['ratio_mixed'],
            'mem_p95': m.get('frac_above_p95', math.nan), 'mem_median': m.get('frac_above_median', math.nan),
            'c2st_img': res.get('c2st', {}).get('image', {}).get('accuracy', math.nan),
            'c2st_pair': res.get('c2st', {}).get('pair', {}).get('accuracy', math.nan),
            'c2st_mask': res.get('c2st', {}).get('mask', {}).get('accuracy', math.nan),
            # against one slab half of the real slices, and the other half's accuracy (the floor: real slices of other slabs)
            **{f'c2st_{k}_{w}': res.get('c2st_floor', {}).get(side, {}).get(key, {}).get('accuracy', math.nan)
               for k, key in (('img', 'image'), ('pair', 'pair'), ('mask', 'mask')) for w, side in (('half', 'generated'), ('floor', 'real'))}}

COLUMNS = [('c2st_img', 'C2ST img (0.5 ideal) ↓', '{:.2f}'), ('c2st_pair', 'C2ST pair ↓', '{:.2f}'), ('c2st_mask', 'C2ST mask ↓', '{:.2f}'),
           ('c2st_pair_half', 'C2ST pair, half (real {c2st_pair_floor}) ↓', '{:.2f}'), ('swd', 'SWD ×10³ img ↓', '{:.0f}'), ('swd_masks', 'SWD ×10³ mask ↓', '{:.0f}'), ('msssim', 'MS-SSIM (real {msssim_real})', '{:.3f}'),
           ('mask_w2', 'mask-fit W2 ↓', '{:.3f}'), ('fragmented', 'fragmented (real {fragmented_real})', '{:.2f}'),
           ('ratio', 'TSTR Dice ratio ↑', '{:.2f}'), ('ratio_mixed', 'real+synth / real', '{:.2f}'), ('mem_p95', '> held-out p95', '{:.2f}')]

def mean_std(vals, fmt):
    v = np.array([x for x in vals if x is not None and math.isfinite(x)], float)
    if not len(v): return '–'
    return fmt.format(v.mean()) + (f" ± {fmt.format(v.std(ddof=1))}" if len(v) > 1 else '')

def table(runs, args, started, total_s):
    ref = {}
    for r in runs.values():
        for s in r:
            if 'diverged' in s: continue
            for k in ('msssim_real', 'fragmented_real', 'swd_floor', 'swd_masks_floor', 'c2st_img_floor', 'c2st_pair_floor', 'c2st_mask_floor'): ref.setdefault(k, []).append(s['summary'].get(k, math.nan))
    refm = {k: math.nan for k in ('msssim_real', 'fragmented_real', 'swd_floor', 'swd_masks_floor', 'c2st_img_floor', 'c2st_pair_floor', 'c2st_mask_floor')}
    refm.update({k: float(np.nanmean(v)) for k, v in ref.items()})
    head = [c[1].format(**{k: f'{v:.3f}' if 'msssim' in k else f'{v:.2f}' for k, v in refm.items()}) for c in COLUMNS]
    sizes = sorted({arm_size(a) for a in runs})
    lines = [f"## Ablation on the MNI152 demo at {' and '.join(map(str, sizes))} px ({started:%Y-%m-%d})", '',
             f"Same wall-clock training budget per variant: {args.budget:g} s (scale shares {args.split} for three scales); "
             f"{args.seeds} seed(s) per variant, mean ± std over seeds. Generators trained on the training slabs of the MNI152 "
             f"tissue slices; held-out slabs (25 %, slabs of 8 with a gap of 2) unseen by any generator. {args.num_samples} generated pairs "
             f"per run; U-Net {args.unet_epochs} epochs. Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
             f"torch {torch.__version__} with {torch.get_num_threads()} threads, device {args.device or 'default'}. Total {total_s / 60:.1f} min."
             + ''.join(f" Arm {ARMS[a]['label'].split()[0]} has its own shares, {ARMS[a]['split']}." for a in runs if 'split' in ARMS[a])
             + ''.join(f" Arm {ARMS[a]['label'].split()[0]} trains for its preset's own time, not this budget." for a in runs if ARMS[a].get('preset') == 'research')
             + ''.join(f" Arm {ARMS[a]['label'].split()[0]} trains for its preset's own steps, not this budget." for a in runs if ARMS[a].get('preset') == 'quick'), '',
             f"Real-data references: SWD floor (two real slab halves) {refm['swd_floor']:.0f} (images) and {refm['swd_masks_floor']:.0f} (masks); "
             f"MS-SSIM of real pairs {refm['msssim_real']:.3f}; fragmented real masks {refm['fragmented_real']:.2f}; "
             f"C2ST of real slices against real slices of other slabs (the floor of the 'half' test: one slab half against the other, "
             f"as many per class as the generated set is tested with) {refm['c2st_img_floor']:.2f} (images), {refm['c2st_pair_floor']:.2f} (pairs), "
             f"{refm['c2st_mask_floor']:.2f} (masks); "
             "TSTR ratio 1 = as useful as real slices; '> held-out p95' is about 0.05 for new slices, 1 for copies.", '',
             '| variant | steps per scale | ' + ' | '.join(head) + ' |', '|---|---|' + '---|' * len(COLUMNS)]
    for arm, rs_all in runs.items():
        rs = [r for r in rs_all if 'diverged' not in r]
        bad = len(rs_all) - len(rs)
        label = ARMS[arm]['label'] + (f" ({bad} of {len(rs_all)} runs diverged)" if bad else '')
        if not rs:
            lines.append(f"| {label} | – | " + ' | '.join('–' for _ in COLUMNS) + ' |'); continue
        steps = ' / '.join(mean_std([r['train']['steps'][k] for r in rs], '{:.0f}') for k in range(len(rs[0]['train']['steps'])))
        cells = [mean_std([r['summary'].get(k, math.nan) for r in rs], fmt) for k, _, fmt in COLUMNS]
        lines.append(f"| {label} | {steps} | " + ' | '.join(cells) + ' |')
    sty = sorted({f"{r['train']['style_steps']} Adam steps per image, VGG16 weights: {r['train']['style_weights']}"
                  for rs_all in runs.values() for r in rs_all if 'style_steps' in r.get('train', {})})
    if sty: lines += ['', 'Style refinement of (e): ' + '; '.join(sty) + ' (towards one middle training slice).']
    lines += ['', f"Command: `python bench/ablation.py {' '.join(sys.argv[1:])}`", '']
    return '\n'.join(lines)

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--budget', type=float, default=240, help='training seconds per variant and seed (default 240)')
    p.add_argument('--seeds', type=int, default=3, help='seeds per variant (default 3)')
    p.add_argument('--first_seed', type=int, default=0, help='the seeds are first_seed, first_seed + 1, ... (default 0)')
    p.add_argument('--arms', default='abcde', help='which variants (default abcde)')
    p.add_argument('--split', default='0.3,0.3,0.4', help='shares of the budget of the three scales of a pyramid')
    p.add_argument('--num_samples', type=int, default=64, help='generated pairs per run')
    p.add_argument('--unet_epochs', type=int, default=20, help='U-Net epochs of the train-on-synthetic test')
    p.add_argument('--style_steps', type=int, default=None, help='style-refinement Adam steps per image for (e) (default: the package default)')
    p.add_argument('--device', default=None, help="'cpu' or 'cuda' (default: CUDA when available)")
    p.add_argument('--threads', type=int, default=None, help='torch CPU threads (default: torch\'s choice)')
    p.add_argument('--pairs_dir', default=None, help='also save every run\'s generated pairs here (ARM_seedN.pt), to rescore them later')
    p.add_argument('--rescore', action='store_true', help='score the pairs saved in --pairs_dir by an earlier run again, without training')
    p.add_argument('--output', default=str(ROOT / 'bench' / 'ablation.md'), help='markdown table (a .json with every result goes beside it)')
    args = p.parse_args()
    if args.threads: torch.set_num_threads(args.threads)
    if args.rescore and not args.pairs_dir: p.error('--rescore needs --pairs_dir')
    arms = [a for a in (args.arms.split(',') if ',' in args.arms or args.arms in ARMS else args.arms) if a in ARMS]   # one letter each, or names separated by commas
    if not arms: p.error(f"--arms must name some of {''.join(ARMS)}")
    trained = sorted({ARMS[a].get('reuse', a) for a in arms})
    n_eval = len(arms) * args.seeds
    print(f"{len(trained)} trained variants x {args.seeds} seeds: " + ("their saved pairs rescored" if args.rescore else
          f"{sum(train_seconds(t, args) for t in trained) * args.seeds / 60:.0f} min of training") +
          f", {n_eval} evaluations (about 1 min each at 64 px and the defaults, 12 at 128 px)"
          + (", plus style refinement (about 4 min per seed at the defaults)" if any(ARMS[a].get('style') for a in arms) else ''), flush=True)
    started = datetime.datetime.now(); t_all = time.perf_counter()
    if len({arm_size(a) for a in arms}) > 1: p.error('arms of different sizes need separate runs (their real references differ)')
    real = load_mni152(size=arm_size(arms[0]))
    train, held = slab_split(real, holdout=0.25, slab=8, gap=2, seed=0)   # the same slabs at every size
    runs = {a: [] for a in arms}
    out = Path(args.output); out.parent.mkdir(parents=True, exist_ok=True)
    def write(final):
        "Table and JSON so far (rewritten after every run, so that an interrupted run keeps what it measured)."
        total = time.perf_counter() - t_all
        md = table(runs, args, started, total) + ('' if final else '\n*Partial: the run was still going when this was written.*\n')
        out.write_text(md)
        out.with_suffix('.json').write_text(json.dumps(jsonable({'args': vars(args), 'date': started.isoformat(timespec='seconds'),
                                                               'total_seconds': total, 'complete': final, 'runs': runs}), indent=1))
        return md
    with tempfile.TemporaryDirectory() as wd:
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            for t in trained:
                if args.rescore:   # the pairs of an earlier run, scored again (e.g. with metrics added since)
                    f = Path(args.pairs_dir) / f'{t}_seed{seed}.pt'
                    if not f.exists(): print(f"    no saved pairs {f}: skipped", flush=True); continue
                    saved = torch.load(f, weights_only=True)
                    images, masks, info = saved['images'], saved['masks'], saved['info']
                    model, ck = None, Path(args.pairs_dir) / f'{t}_seed{seed}_checkpoint.pt'
                    if any(ARMS[a].get('sample') and ARMS[a].get('reuse') == t for a in arms):
                        if not ck.exists(): print(f"    no saved generator {ck}: the sampling arms are skipped", flush=True)
                        else:
                            from alphagan_nb.inference import load_model
                            model = load_model(ck, device=args.device)[0]
                else:
                    try: model, info = train_arm(t, seed, train, args, Path(wd))
                    except TrainingDiverged as e:          # recorded and left out of the means, not fatal for the table
                        print(f"    {ARMS[t]['label']}, seed {seed}: diverged ({e})", flush=True)
                        for a in arms:
                            if ARMS[a].get('reuse', a) == t: runs[a].append({'seed': seed, 'diverged': str(e)})
                        continue
                    print(f"[{(time.perf_counter() - t_all) / 60:5.1f} min] {ARMS[t]['label']}, seed {seed}: {info['steps']} steps in {info['train_seconds']} s", flush=True)
                    images, soft = generate(model, args.num_samples, seed=1000 + seed, progress=False, hard=False)
                    masks = hard_masks(soft)   # as drawn (no pieces merged): (N), (S) merge
                    if args.pairs_dir:   # the raw mask channels too, to score other ways of drawing labels from them later
                        Path(args.pairs_dir).mkdir(parents=True, exist_ok=True)
                        torch.save({'images': images, 'masks': masks, 'soft_masks': soft, 'info': info}, Path(args.pairs_dir) / f'{t}_seed{seed}.pt')
                        import shutil   # the generator too, for arms that sample it differently
                        shutil.copy(Path(wd) / f'{t}_seed{seed}' / 'checkpoint.pt', Path(args.pairs_dir) / f'{t}_seed{seed}_checkpoint.pt')
                for a in arms:
                    if ARMS[a].get('reuse', a) != t: continue
                    imgs, msks = images, masks
                    if ARMS[a].get('sample'):
                        if model is None: continue
                        imgs, soft_a = sample_pairs(model, args.num_samples, 1000 + seed, train=train, **ARMS[a]['sample'])
                        msks = hard_masks(soft_a)
                    if ARMS[a].get('segmented'): msks = segmented_masks(imgs, train, args, seed)
                    if ARMS[a].get('islands'): msks = merge_islands(masks, ARMS[a]['islands'])
                    if ARMS[a].get('style'):
                        from alphagan_nb.inference import refine_style, make_style_transfer
                        ts = time.perf_counter()
                        st = make_style_transfer(args.style_steps)
                        imgs = refine_style(images, train.images[len(train) // 2:len(train) // 2 + 1], st, device=args.device, progress=False)
                        info = {**info, 'style_seconds': round(time.perf_counter() - ts, 1), 'style_steps': st.num_steps,
                                'style_weights': getattr(st.feature_extractor, 'weights_source', '?')}
                        if args.pairs_dir:   # the refined pairs beside the pairs they came from, for pictures and rescoring
                            torch.save({'images': imgs, 'masks': msks, 'info': info}, Path(args.pairs_dir) / f'{a}_seed{seed}.pt')
                    res = evaluate((imgs, msks), train, held_out=held, seed=seed, unet_epochs=args.unet_epochs, device=args.device, progress=False)
                    runs[a].append({'seed': seed, 'train': info, 'summary': summarise(res), 'result': jsonable(res)})
                    s = runs[a][-1]['summary']
                    print(f"    {ARMS[a]['label']}: C2ST {s['c2st_img']:.2f} / {s['c2st_pair']:.2f}, SWD {s['swd']:.0f} (floor {s['swd_floor']:.0f}), MS-SSIM {s['msssim']:.3f}, "
                          f"TSTR ratio {s['ratio']:.2f}, > p95 {s['mem_p95']:.2f}  [{res['seconds']['total']:.0f} s]", flush=True)
                    write(False)
    md = write(True)
    print(md)
    print(f"wrote {out} and {out.with_suffix('.json')}")

if __name__ == '__main__':
    main()
