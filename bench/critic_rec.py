"""Self-supervised critics (FastGAN, Liu et al., ICLR 2021) as an arm of `bench/ablation.py`, before any change to the
library: each critic gets a small decoder that must rebuild the real pairs it scores from its last hidden features,
so that those features have to hold the whole pair (the cortex, the ventricles, the mask's ribbon) and cannot shrink
to the few cues that separate a hundred memorised slices from the fakes.

    OMP_NUM_THREADS=1 taskset -c 1 python bench/critic_rec.py --budget 240 --seeds 3 --arms dZ --split 0.5,0.2,0.3 \\
        --num_samples 120 --threads 1 --pairs_dir runs/z1/pairs --output runs/z1/ablation_Z.md

Every option is `bench/ablation.py`'s; this script adds arm (Z) (the default model with decoders, `--weight`, default
10) and trains it through the same `Trainer`, patched in this process for arm (Z) only (found by its run's folder name):

- `Trainer.build` also makes one decoder per critic: nearest ×2 upsampling (the critics' hidden maps are at half the
  input's side), a 3 × 3 convolution with LeakyReLU, a 3 × 3 convolution back to the pair's channels, tanh;
- `Trainer.optimisers` adds scale k's decoder to the critic's Adam (same rate, same decay);
- `critic_means`, the one call that scores real and generated batches together in every critic update (real first),
  adds `weight` × the decoder's L1 error on the real batch to the critic's loss (as a lower real score, so that
  `loss_d = d_fake - d_real + gp` grows by it; the logged Wasserstein estimate includes it). The generators' updates
  call the critics directly, so they see no change but in what the critics have learned.

The decoders are not saved with the checkpoint (the arm's models are scored, not resumed).
"""
import sys
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT)); sys.path.insert(0, str(ROOT / 'bench'))

import ablation
import alphagan_nb.train_singan as ts

WEIGHT = 10.0
DECODERS = {}          # id(critic) -> its decoder

def decoder(channels, out_channels):
    "Rebuilds a pair (B, out_channels, H, W) from a critic's hidden maps (B, channels, H/2, W/2)."
    return nn.Sequential(nn.Upsample(scale_factor=2, mode='nearest'), nn.Conv2d(channels, channels, 3, 1, 1), nn.LeakyReLU(0.2),
                         nn.Conv2d(channels, out_channels, 3, 1, 1), nn.Tanh())

_build, _optimisers, _critic_means = ts.Trainer.build, ts.Trainer.optimisers, ts.critic_means   # the library's own

def build(self):
    _build(self)
    self.decoders = None
    if not Path(self.cfg.output_dir).name.startswith('Z_'): return      # the other arms of the same run train as in ablation.py
    self.decoders = nn.ModuleList([decoder(D.config['channels'], D.in_channels) for D in self.critics]).to(self.device)
    if self.cfg.channels_last: self.decoders.to(memory_format=torch.channels_last)
    DECODERS.clear(); DECODERS.update({id(D): dec for D, dec in zip(self.critics, self.decoders)})

def optimisers(self, k):
    opt = _optimisers(self, k)
    if self.decoders is not None: opt['d'].add_param_group({'params': list(self.decoders[k].parameters()), 'lr_scale': 1.0})
    return opt

def critic_means(critic, *batches):
    "As `train_singan.critic_means`, with the decoder's L1 error on the first (real) batch taken off its mean score."
    dec = DECODERS.get(id(critic))
    if dec is None: return _critic_means(critic, *batches)
    h = critic.tail(critic.attention(critic.head(torch.cat(batches))))
    scores = critic.output_layer(h).split([len(b) for b in batches])
    real = batches[0]
    rec = dec(h[:len(real)])[..., :real.shape[-2], :real.shape[-1]]
    means = [s.mean() for s in scores]
    means[0] = means[0] - WEIGHT * F.l1_loss(rec, real)
    return means

def label(): return f'(Z) full model, self-supervised critics (a decoder rebuilds the real pairs, weight {WEIGHT:g})'

ablation.ARMS['Z'] = dict(label=label(), num_scales=3, min_size=16, use_attention=True)

if __name__ == '__main__':
    if '--weight' in sys.argv:
        i = sys.argv.index('--weight'); WEIGHT = float(sys.argv[i + 1]); del sys.argv[i:i + 2]
        ablation.ARMS['Z']['label'] = label()
    ts.Trainer.build, ts.Trainer.optimisers, ts.critic_means = build, optimisers, critic_means
    ablation.main()
