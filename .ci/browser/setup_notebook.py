"""Prepare the browser test: train a tiny checkpoint (seconds) and write a notebook that opens the explorer on it.

usage: python setup_notebook.py WORK_DIR   (writes WORK_DIR/tiny/checkpoint.pt and WORK_DIR/explorer_test.ipynb)
"""
import json, os, sys, time
from pathlib import Path

work = Path(sys.argv[1]).resolve()
work.mkdir(parents=True, exist_ok=True)
t0 = time.perf_counter()
import torch
torch.set_num_threads(1)
torch.manual_seed(0)
from alphagan_nb.demo_data import load_mni152
from alphagan_nb.train_singan import Trainer, TrainConfig

cfg = TrainConfig(demo=True, output_dir=str(work/'tiny'), device='cpu', num_scales=2, min_size=16, max_size=32,
                  steps_per_scale='40,20', batch_size=8, base_channels=8, coarse_channels=16, z_dim=16, num_blocks=2)
Trainer(cfg, data=load_mni152(size=32), quiet=True).fit()
ckpt = work/'tiny'/'checkpoint.pt'
print(f"tiny checkpoint trained in {time.perf_counter() - t0:.1f} s: {ckpt}", flush=True)

def code(src): return {'cell_type': 'code', 'execution_count': None, 'metadata': {}, 'outputs': [], 'source': src}
cells = [
    {'cell_type': 'markdown', 'metadata': {}, 'source': '# alphagan_nb explorer (browser test)'},
    code("import torch\ntorch.set_num_threads(1)\nfrom alphagan_nb.explorer import Explorer"),
    code(f"ex = Explorer({str(ckpt)!r}, device='cpu', save_dir={str(work/'saved')!r})\nex"),
]
for i, c in enumerate(cells): c['id'] = f'cell-{i}'
nb = {'cells': cells, 'nbformat': 4, 'nbformat_minor': 5,
      'metadata': {'kernelspec': {'name': 'python3', 'display_name': 'Python 3 (ipykernel)', 'language': 'python'},
                   'language_info': {'name': 'python'}}}
(work/'explorer_test.ipynb').write_text(json.dumps(nb, indent=1))
print(f"notebook: {work/'explorer_test.ipynb'}")
