"""The training step with the critics' PenaltyConv2d against PyTorch's own nn.Conv2d (the same weights, the same
arithmetic), timed in turns in one process so that a change of load hits both alike; the order alternates every
repeat. Reports the median step of each, their ratio and the median of the paired ratios. Run it with nothing else
running (5 minutes on a 2-core Intel Xeon, 2026-12-02):

    python bench/penalty_conv.py --sizes 64,128 --repeats 12 --out bench/penalty_conv.md
"""
import argparse, datetime, json, sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
import speed

def ab(size, threads, repeats):
    import torch, numpy as np
    if threads: torch.set_num_threads(threads)
    tr = speed._trainer(size, 16); k = tr.cfg.num_scales - 1
    fns = {'PenaltyConv2d': speed._step_fn(tr, k), 'nn.Conv2d': speed._step_fn(speed._plain_critics(speed._trainer(size, 16)), k)}
    for f in list(fns.values()) * 2: f()                       # warm-up
    ts = {n: [] for n in fns}
    for r in range(repeats):
        for n in (list(fns) if r % 2 == 0 else list(fns)[::-1]):
            t = time.perf_counter(); fns[n](); ts[n].append(time.perf_counter() - t)
    paired = np.array(ts['nn.Conv2d']) / np.array(ts['PenaltyConv2d'])
    return {'size': size, 'threads': torch.get_num_threads(), 'repeats': repeats,
            'median_s': {n: float(np.median(v)) for n, v in ts.items()}, 'min_s': {n: float(min(v)) for n, v in ts.items()},
            'speedup_of_medians': float(np.median(ts['nn.Conv2d']) / np.median(ts['PenaltyConv2d'])),
            'median_paired_speedup': float(np.median(paired)), 'paired_faster': int((paired > 1).sum())}

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--sizes', default='64,128'); p.add_argument('--repeats', type=int, default=12)
    p.add_argument('--threads', type=int, default=0, help='torch threads (0: torch default)')
    p.add_argument('--out', default='bench/penalty_conv.md')
    a = p.parse_args()
    rows = []
    for s in [int(v) for v in a.sizes.split(',')]:
        rows.append(ab(s, a.threads, a.repeats)); print(rows[-1], flush=True)
    L = [f"# Critics of PenaltyConv2d against nn.Conv2d ({datetime.datetime.now().isoformat(timespec='minutes')})", '',
         f"Machine: {speed.machine()}", '', speed.isa_flags(), '',
         '| size | threads | repeats | step, nn.Conv2d critics (before) | step, PenaltyConv2d critics | speed-up of medians | median paired speed-up | repeats faster |',
         '|---|---|---|---|---|---|---|---|']
    for r in rows:
        m, mn = r['median_s'], r['min_s']
        L.append(f"| {r['size']} px | {r['threads']} | {r['repeats']} | {m['nn.Conv2d']:.3f} s (min {mn['nn.Conv2d']:.3f}) | "
                 f"{m['PenaltyConv2d']:.3f} s (min {mn['PenaltyConv2d']:.3f}) | {r['speedup_of_medians']:.2f}x | {r['median_paired_speedup']:.2f}x | "
                 f"{r['paired_faster']} of {r['repeats']} |")
    Path(a.out).write_text('\n'.join(L) + '\n'); Path(a.out).with_suffix('.json').write_text(json.dumps(rows, indent=1))
    print(f'wrote {a.out}')

if __name__ == '__main__': main()
