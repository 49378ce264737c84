"""Speed benchmark of alphagan_nb on this machine: training and generation throughput, achieved FLOP/s against the
measured matrix-multiply ceiling, peak memory, and the levers worth measuring, each against its baseline in the
same process. Run by hand:

    python bench/speed.py --repeats 5 --nbdev_test   # the table in bench/results.md: 7 minutes on a 2-core CPU (2026-11-25)
    python bench/speed.py --demo                      # also time `alphagan_train --demo` (about 7 more minutes)
    python bench/speed.py --quick              # a smoke run (fewer repeats)
    python bench/speed.py --demo --only none --isa native --out bench/demo_time.md
                                               # the ceiling and the demo's training only, with its seconds per scale
    python bench/speed.py --only isa,contention --out bench/isa.md
                                               # the native ISA against AVX2 and the shared-CPU case only (13 minutes with
                                               # --quick --sizes 32,64,128 on a 2-core Intel Xeon, 2026-11-30)

Instruction sets: the ceiling, the training steps and a per-operator profile run once per ISA in `--isa` (default
native,avx2), each in processes started with the variables that cap oneDNN, ATen and MKL at that ISA
(ONEDNN_MAX_CPU_ISA, ATEN_CPU_CAPABILITY, MKL_ENABLE_INSTRUCTIONS), so an AVX-512 machine also reports what an
AVX2-only processor of the same clock would do. Every speed is quoted against the ceiling of its own ISA.
Shared CPU: the 32 px training step alone and beside one busy process (`python -c 'while True: pass'`), for several
thread settings, and the slowdown ratio of each (the physical limit on 2 cores is 2x). Run it with nothing else running.

The training steps are also timed, interleaved in the same process, with the critics built of PyTorch's own nn.Conv2d
instead of PenaltyConv2d, and the profile runs for both (the before and after of that change; `bench/penalty_conv.py`
times the pair with more repeats).

Every figure is the median of several timed repeats, printed with min and max. Each part runs in its own process so
that its peak resident memory is its own. Writes a markdown table (default bench/results.md).
"""
import argparse, csv, datetime, json, os, platform, resource, statistics, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def stats(ts):
    return {'median': statistics.median(ts), 'min': min(ts), 'max': max(ts), 'n': len(ts)}

def timeit(fn, repeats, warmup=1):
    for _ in range(warmup): fn()
    ts = []
    for _ in range(repeats):
        t = time.perf_counter(); fn(); ts.append(time.perf_counter() - t)
    return stats(ts)

class _GlobalOnly:
    "Stands in for FlopCounterMode's module tracker, whose hooks break torch.autograd.grad (the gradient penalty)."
    parents = {'Global'}
    is_bw = False
    def __enter__(self): return self
    def __exit__(self, *a): pass

def flops_of(fn):
    "FLOPs of matmuls and convolutions run by fn(), backward passes and double backward included."
    from torch.utils.flop_counter import FlopCounterMode
    fc = FlopCounterMode(display=False)
    fc.mod_tracker = _GlobalOnly()
    with fc: fn()
    return fc.get_total_flops()

def peak_mb(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

# ---------------------------------------------------------------------------------------------- parts (child process)
ISA_ENV = {'native': {}, 'avx2': {'ONEDNN_MAX_CPU_ISA': 'AVX2', 'ATEN_CPU_CAPABILITY': 'avx2', 'MKL_ENABLE_INSTRUCTIONS': 'AVX2'}}

def part_ceiling(a):
    import torch
    if a.threads: torch.set_num_threads(a.threads)
    n = 2048
    x, y = torch.randn(n, n), torch.randn(n, n)
    s = timeit(lambda: x @ y, a.repeats * 2, warmup=2)
    g = lambda t: 2 * n ** 3 / t / 1e9
    return {'gflops': {'median': g(s['median']), 'min': g(s['max']), 'max': g(s['min']), 'n': s['n']}, 'threads': torch.get_num_threads(),
            'capability': torch.backends.cpu.get_cpu_capability()}

def _trainer(size, batch, **kw):
    import torch
    from alphagan_nb.train_singan import TrainConfig, Trainer
    from alphagan_nb.demo_data import load_mni152
    n = {16: 1, 32: 2, 64: 3, 128: 4, 256: 5}[size]
    cfg = TrainConfig(demo=True, output_dir='/tmp/alphagan_bench', num_scales=n, min_size=16 if n > 1 else size,
                      max_size=size, batch_size=batch, steps_per_scale='1000000', **{'refine_warmup': 0.25, **kw})
    return Trainer(cfg, data=load_mni152(size=size), quiet=True)

def _plain_critics(tr):
    "The trainer's critics with PyTorch's own nn.Conv2d in place of PenaltyConv2d (the 'before' of that change), same weights."
    import torch
    from torch import nn
    from alphagan_nb.gradient_penalty import PenaltyConv2d
    for m in list(tr.critics.modules()):
        for name, c in list(m.named_children()):
            if isinstance(c, PenaltyConv2d):
                plain = nn.Conv2d(c.in_channels, c.out_channels, c.kernel_size, c.stride, c.padding, c.dilation, c.groups, c.bias is not None)
                plain.load_state_dict(c.state_dict())
                if tr.cfg.channels_last: plain.to(memory_format=torch.channels_last)
                setattr(m, name, plain)
    return tr

def _step_fn(tr, k):
    tr.scale = k; tr.prepare_scale(k); tr.opt = tr.optimisers(k)
    fn = tr.coarse_step if k == 0 else tr.refine_step
    it = iter(range(10 ** 9))
    return lambda: fn(next(it))

def part_train(a):
    """One full training step (critic updates with gradient penalty + generator update) at the finest scale of SIZE, in the
    default channels-last layout and, interleaved in the same process, in PyTorch's default NCHW layout and with critics
    built of PyTorch's own nn.Conv2d instead of PenaltyConv2d (the two 'befores')."""
    import torch
    tr = _trainer(a.size, a.batch)
    k = tr.cfg.num_scales - 1
    step = _step_fn(tr, k)
    step(); step()
    peak = peak_mb()                                            # before the NCHW trainer exists
    step_nchw = _step_fn(_trainer(a.size, a.batch, channels_last=False), k)
    step_nchw()
    step_plain = _step_fn(_plain_critics(_trainer(a.size, a.batch)), k)
    step_plain()
    fl = flops_of(step)
    ts = interleaved({'default': step, 'nchw': step_nchw, 'plain': step_plain}, a.repeats)
    s = ts['default']
    return {'size': a.size, 'batch': a.batch, 'scale': k, 'step_s': s, 'nchw_step_s': ts['nchw'], 'plain_critics_step_s': ts['plain'], 'images_per_s': a.batch / s['median'],
            'gflop_per_step': fl / 1e9, 'gflops': fl / s['median'] / 1e9, 'peak_mb': peak}

def interleaved(fns, repeats):
    "Median/min/max of each function, timed in turns (so that a load change on the machine hits them all alike)."
    ts = {n: [] for n in fns}
    for _ in range(repeats):
        for n, f in fns.items():
            t = time.perf_counter(); f(); ts[n].append(time.perf_counter() - t)
    return {n: stats(t) for n, t in ts.items()}

def part_levers(a):
    "Training-step levers at SIZE, each against the baseline in this process (interleaved repeats)."
    import torch
    out = {}
    tr = _trainer(a.size, a.batch)
    k = tr.cfg.num_scales - 1
    base = _step_fn(tr, k)
    variants = {'baseline (defaults: channels-last, GP every step, 2 critic steps)': base}
    tr2 = _trainer(a.size, a.batch, gp_interval=4); variants['lazy GP (every 4th critic step)'] = _step_fn(tr2, k)
    tr3 = _trainer(a.size, a.batch, critic_iterations=1); variants['1 critic step instead of 2'] = _step_fn(tr3, k)
    tr4 = _trainer(a.size, a.batch, channels_last=False); variants['NCHW layout (PyTorch default)'] = _step_fn(tr4, k)
    for f in variants.values(): f()
    out.update(interleaved(variants, a.repeats))
    nthreads = torch.get_num_threads()
    if nthreads > 1:
        torch.set_num_threads(1)
        out['1 thread (vs default threads)'] = timeit(base, a.repeats)
        torch.set_num_threads(nthreads)
    return {'size': a.size, 'batch': a.batch, 'levers': out}

def part_generate(a):
    "Generation throughput (pairs/s) in batches, eval mode, with and without torch.inference_mode."
    import torch
    from alphagan_nb.singan_generator import MultiScaleSinGANGenerator
    from alphagan_nb.singan_generator import pyramid_sizes
    n = {32: 2, 64: 3, 128: 4, 256: 5}[a.size]
    m = MultiScaleSinGANGenerator(pyramid_sizes(16, a.size, num_scales=n)).eval()
    m_cl = MultiScaleSinGANGenerator(pyramid_sizes(16, a.size, num_scales=n)).eval()
    m_cl.load_state_dict(m.state_dict()); m_cl.to(memory_format=torch.channels_last)     # what `load_model` returns
    z = torch.randn(a.batch, m.z_dim)
    def gen(model, mode):
        def f():
            with mode(): model(z)
        return f
    fl = flops_of(gen(m, torch.no_grad))
    ts = interleaved({'nchw_no_grad': gen(m, torch.no_grad), 'nchw_inference_mode': gen(m, torch.inference_mode),
                      'cl_no_grad': gen(m_cl, torch.no_grad)}, a.repeats)
    s = ts['cl_no_grad']
    return {'size': a.size, 'batch': a.batch, **{k + '_s': v for k, v in ts.items()},
            'pairs_per_s': a.batch / s['median'], 'gflops': fl / s['median'] / 1e9, 'gflop_per_batch': fl / 1e9, 'peak_mb': peak_mb()}

def part_style(a):
    "Style refinement seconds per image at 64 px with the default settings, batched."
    import torch, warnings
    from alphagan_nb.style_transfer import StyleTransfer
    from alphagan_nb.demo_data import load_mni152
    d = load_mni152(size=64)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore'); st = StyleTransfer()
    imgs, style = d.images[:a.batch], d.images[len(d) // 2:len(d) // 2 + 1]
    s = timeit(lambda: st.batch_style_transfer(imgs, style, progress=False), max(1, a.repeats // 3), warmup=0)
    return {'batch': a.batch, 'batch_s': s, 'seconds_per_image': s['median'] / a.batch, 'peak_mb': peak_mb()}

def part_compile(a):
    """torch.compile at SIZE: compile time against the time it saves, (1) generating batches with the whole pyramid and
    (2) a training step with the finest generator compiled (the critic stays eager: the gradient penalty needs a double
    backward, which compiled graphs do not support). Baselines: the same eager modules in this process. Inductor's
    on-disk caches are switched off, so the compile time is what a first run pays."""
    os.environ['TORCHINDUCTOR_FORCE_DISABLE_CACHES'] = '1'
    import torch
    from alphagan_nb.singan_generator import MultiScaleSinGANGenerator
    from alphagan_nb.singan_generator import pyramid_sizes
    out = {'size': a.size}
    n = {32: 2, 64: 3, 128: 4}[a.size]
    m = MultiScaleSinGANGenerator(pyramid_sizes(16, a.size, num_scales=n)).eval().to(memory_format=torch.channels_last)
    z = torch.randn(32, m.z_dim)
    cm = torch.compile(m)
    def gen(model):
        def f():
            with torch.no_grad(): model(z)
        return f
    t = time.perf_counter(); gen(cm)(); out['generate_compile_s'] = time.perf_counter() - t
    gen(m)()
    out['generate'] = interleaved({'eager': gen(m), 'compiled': gen(cm)}, a.repeats)
    tr = _trainer(a.size, a.batch); k = tr.cfg.num_scales - 1
    tr_c = _trainer(a.size, a.batch)
    step = _step_fn(tr, k); step_c = _step_fn(tr_c, k)        # prepares scale k (freezing) before compiling
    tr_c.model.generators[k] = torch.compile(tr_c.model.generators[k])
    t = time.perf_counter(); step_c(); out['train_compile_s'] = time.perf_counter() - t
    step()
    out['train'] = interleaved({'eager': step, 'compiled': step_c}, a.repeats)
    return out

def part_profile(a):
    "Where a training step's time goes at SIZE: torch.profiler's operators by self CPU time, per step, over 3 steps."
    import torch
    from torch.profiler import profile, ProfilerActivity
    tr = _trainer(a.size, a.batch)
    if a.plain_critics: _plain_critics(tr)
    step = _step_fn(tr, tr.cfg.num_scales - 1)
    for _ in range(3): step()
    n = 3
    t = time.perf_counter()
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(n): step()
    wall = (time.perf_counter() - t) / n
    ev = [e for e in prof.key_averages() if e.self_cpu_time_total > 0]
    tot = sum(e.self_cpu_time_total for e in ev)
    ev.sort(key=lambda e: -e.self_cpu_time_total)
    ops = [{'op': e.key, 'ms_per_step': e.self_cpu_time_total / 1e3 / n, 'share': e.self_cpu_time_total / tot, 'calls_per_step': e.count / n}
           for e in ev[:12]]
    conv = sum(e.self_cpu_time_total for e in ev if 'conv' in e.key.lower()) / tot
    return {'size': a.size, 'batch': a.batch, 'step_s_profiled': wall, 'ops': ops, 'conv_share': conv, 'plain_critics': a.plain_critics,
            'capability': torch.backends.cpu.get_cpu_capability(), 'threads': torch.get_num_threads()}

def part_contention(a):
    """Seconds per 32 px training step (steps 21..60 of the scale, after warm-up) with `--threads` (0: torch's default,
    -1: `ThreadTuner`), in whatever environment this process was started with (OMP_WAIT_POLICY, a busy neighbour)."""
    import tempfile, torch
    from alphagan_nb.train_singan import Trainer, TrainConfig
    from alphagan_nb.demo_data import load_mni152
    d = tempfile.mkdtemp()
    t = Trainer(TrainConfig(demo=True, num_scales=2, min_size=16, max_size=32, steps_per_scale='1,60', refine_warmup=0.25, output_dir=d,
                            threads=a.threads, checkpoint_every=10 ** 6), data=load_mni152(size=32), quiet=True)
    t.fit()
    rows = [r for r in t.log() if r['scale'] == 1]
    return {'step_s': (rows[-1]['seconds'] - rows[19]['seconds']) / (len(rows) - 20), 'threads_at_end': torch.get_num_threads()}

PARTS = {'compile': part_compile, 'ceiling': part_ceiling, 'train': part_train, 'levers': part_levers, 'generate': part_generate, 'style': part_style, 'profile': part_profile, 'contention': part_contention}

# ---------------------------------------------------------------------------------------------------- driver
def run_part(name, size=0, batch=16, repeats=5, env=None, threads=0, plain_critics=False):
    "Run one part in a fresh process (its own peak memory; `env` set before torch loads: ISA caps, OpenMP policy)."
    cmd = [sys.executable, __file__, '--part', name, '--size', str(size), '--batch', str(batch), '--repeats', str(repeats), '--threads', str(threads)]
    if plain_critics: cmd.append('--plain_critics')
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env={**os.environ, **(env or {})})
    if r.returncode != 0: return {'error': r.stderr[-2000:]}
    return json.loads(r.stdout.strip().splitlines()[-1])

def run_timed_command(cmd, env=None):
    "Wall time and the command's own peak RSS (GNU time's %M: getrusage of children would also count earlier parts)."
    exe = Path(sys.executable).parent / cmd[0]                 # the console script of this environment, activated or not
    if exe.exists(): cmd = [str(exe)] + cmd[1:]
    t = time.perf_counter()
    r = subprocess.run(['/usr/bin/time', '-f', 'MAXRSS_KB %M'] + cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})})
    wall = time.perf_counter() - t
    kb = [int(l.split()[1]) for l in r.stderr.splitlines() if l.startswith('MAXRSS_KB ')]
    return {'wall_s': wall, 'rc': r.returncode, 'peak_mb': kb[-1] / 1024 if kb else None, 'tail': (r.stdout + r.stderr)[-600:]}

def fmt(s, scale=1.0, unit='s'):
    return f"{s['median'] * scale:.3g} {unit} (min {s['min'] * scale:.3g}, max {s['max'] * scale:.3g}, n={s['n']})"

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--part'); p.add_argument('--size', type=int, default=64); p.add_argument('--batch', type=int, default=16)
    p.add_argument('--repeats', type=int, default=5)
    p.add_argument('--quick', action='store_true', help='fewer repeats, no 256 px')
    p.add_argument('--demo', action='store_true', help='also time the demo preset (alphagan_train --demo)')
    p.add_argument('--nbdev_test', action='store_true', help='also time nbdev_test')
    p.add_argument('--threads', type=int, default=0, help='(for --part) torch threads: 0 = torch default, -1 = ThreadTuner')
    p.add_argument('--isa', default='native,avx2', help="instruction sets to run the ceiling, training steps and profile for: native, avx2")
    p.add_argument('--sizes', default='', help="training-step sizes of the ISA tables, e.g. 32,64 ('' = 16..256, or 16..128 with --quick)")
    p.add_argument('--profile_size', type=int, default=64, help='side of the profiled training step (default 64)')
    p.add_argument('--plain_critics', action='store_true', help="(for --part profile) critics of nn.Conv2d, as before PenaltyConv2d")
    p.add_argument('--only', default='', help="comma-separated subset of: isa, contention, levers, generate, style, compile ('' = all)")
    p.add_argument('--out', default=str(ROOT/'bench'/'results.md'))
    a = p.parse_args()
    if a.part:
        res = PARTS[a.part](a)
        print('\n' + json.dumps(res)); return
    rep = 3 if a.quick else a.repeats
    want = lambda part: not a.only or part in a.only.split(',')
    if any(os.environ.get(v) for v in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS')):
        print('note: OMP_NUM_THREADS/MKL_NUM_THREADS are set: "default threads" below means that setting', flush=True)
    res = {'date': datetime.datetime.now().isoformat(timespec='minutes'), 'machine': machine(), 'isa_flags': isa_flags()}
    print('machine:', res['machine'], res['isa_flags'], flush=True)
    res['isa'] = {}
    for isa in a.isa.split(',') if want('isa') else ['native']:
        env, r = ISA_ENV[isa], {}
        r['ceiling'] = run_part('ceiling', repeats=rep, env=env); print(isa, 'ceiling', r['ceiling'], flush=True)
        r['train'] = []
        if want('isa'):
            for size in ([int(v) for v in a.sizes.split(',')] if a.sizes else [16, 32, 64, 128] if a.quick else [16, 32, 64, 128, 256]):
                t = run_part('train', size, 16 if size <= 128 else 8, rep, env=env); r['train'].append(t); print(isa, 'train', size, t, flush=True)
            r['profile_before'] = run_part('profile', a.profile_size, 16, rep, env=env, plain_critics=True); print(isa, 'profile before', r['profile_before'], flush=True)
            r['profile'] = run_part('profile', a.profile_size, 16, rep, env=env); print(isa, 'profile', r['profile'], flush=True)
        res['isa'][isa] = r
    res['ceiling'] = res['isa']['native']['ceiling'] if 'native' in res['isa'] else next(iter(res['isa'].values()))['ceiling']
    res['train'] = res['isa'].get('native', {}).get('train', [])
    ceil = res['ceiling']['gflops']['median']
    if want('contention'): res['contention'] = contention(rep)
    if want('levers'): res['levers'] = run_part('levers', 64, 16, rep); print('levers', res['levers'], flush=True)
    if want('generate'): res['generate'] = [run_part('generate', s, 32, rep) for s in (64, 128)]; print('generate', res['generate'], flush=True)
    if want('style'): res['style'] = run_part('style', 64, 16, rep); print('style', res['style'], flush=True)
    if want('compile'): res['compile'] = run_part('compile', 64, 16, rep); print('compile', res['compile'], flush=True)
    if a.demo:
        res['demo'] = run_timed_command(['alphagan_train', '--demo', '--output_dir', '/tmp/alphagan_bench_demo'],
                                        env={})
        log = Path('/tmp/alphagan_bench_demo/log.csv')   # each scale's last row: its steps and its seconds of training
        if log.exists():
            with open(log) as f: last = {int(r['scale']): (int(r['step']), float(r['seconds'])) for r in csv.DictReader(f)}
            res['demo']['scales'] = [{'scale': k, 'steps': n, 'seconds': t} for k, (n, t) in sorted(last.items())]
        print('demo', res['demo'], flush=True)
        subprocess.run(['rm', '-rf', '/tmp/alphagan_bench_demo'])
    if a.nbdev_test:
        res['nbdev_test'] = run_timed_command(['nbdev_test'], env={'OMP_NUM_THREADS': '1'}); print('nbdev_test', res['nbdev_test'], flush=True)
    Path(a.out).write_text(report(res, ceil))
    Path(a.out).with_suffix('.json').write_text(json.dumps(res, indent=1))
    print(f'wrote {a.out}')

CONTENTION = [("torch's own threads (--threads 0)", 0, {}), ("torch's own threads, OMP_WAIT_POLICY=PASSIVE", 0, {'OMP_WAIT_POLICY': 'PASSIVE'}),
              ('1 thread (--threads 1)', 1, {}), ('threads chosen while training (the default, --threads -1)', -1, {})]

def contention(rep):
    "The 32 px step alone and beside one busy process, for each thread setting in `CONTENTION`, and the slowdown."
    out = []
    for name, threads, env in CONTENTION:
        row = {'setting': name, 'threads': threads, 'env': env}
        for busy in (False, True):
            p = subprocess.Popen([sys.executable, '-c', 'while True: pass']) if busy else None
            try: r = run_part('contention', threads=threads, env=env)
            finally:
                if p: p.kill(); p.wait()
            row['busy' if busy else 'alone'] = r
        print('contention', row, flush=True)
        out.append(row)
    return out

def isa_flags():
    "The vector extensions this CPU reports (AVX2, AVX-512 foundation, AMX) and the capability torch picks."
    import torch
    flags = next((l.split(':', 1)[1].split() for l in open('/proc/cpuinfo') if l.startswith('flags')), [])
    have = [f for f in ('avx2', 'avx512f', 'avx512_bf16', 'amx_tile') if f in flags]
    return f"CPU flags: {', '.join(have) or 'none of avx2/avx512f/amx'}; torch CPU capability {torch.backends.cpu.get_cpu_capability()}"

def machine():
    import torch
    cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), platform.processor())
    return f"{cpu}, {os.cpu_count()} cores, torch {torch.__version__}, {torch.get_num_threads()} threads, Python {platform.python_version()}"

def report(res, ceil):
    L = [f"# Speed benchmark ({res['date']})", '', f"Machine: {res['machine']}", '', res.get('isa_flags', ''), '',
         f"Matrix-multiply ceiling (fp32 2048x2048): **{ceil:.1f} GFLOP/s** "
         f"(min {res['ceiling']['gflops']['min']:.1f}, max {res['ceiling']['gflops']['max']:.1f})", '',
         '## Training step (critic updates with gradient penalty + generator update), finest scale', '',
         '| size | batch | step time | images/s | GFLOP/step | achieved GFLOP/s | of ceiling | peak RSS | NCHW step time (before) | speed-up | nn.Conv2d critics (before) | speed-up |',
         '|---|---|---|---|---|---|---|---|---|---|---|---|']
    for r in res['train']:
        if 'error' in r: L.append(f"| error | | {r['error'][-200:]!r} |"); continue
        L.append(f"| {r['size']} px | {r['batch']} | {fmt(r['step_s'])} | {r['images_per_s']:.1f} | {r['gflop_per_step']:.1f} | "
                 f"{r['gflops']:.1f} | {r['gflops'] / ceil:.0%} | {r['peak_mb']:.0f} MB | {fmt(r['nchw_step_s'])} | "
                 f"{r['nchw_step_s']['median'] / r['step_s']['median']:.2f}x | {fmt(r['plain_critics_step_s'])} | "
                 f"{r['plain_critics_step_s']['median'] / r['step_s']['median']:.2f}x |")
    L += isa_report(res)
    lv = res.get('levers', {})
    if 'levers' in lv:
        b = next(iter(lv['levers'].values()))['median']
        L += ['', f"## Levers at {lv['size']} px, batch {lv['batch']} (same process, interleaved repeats)", '',
              '| variant | step time | speed-up vs baseline |', '|---|---|---|']
        for n, s in lv['levers'].items(): L.append(f"| {n} | {fmt(s)} | {b / s['median']:.2f}x |")
    if res.get('generate'): L += ['', '## Generation (eval mode, batches of 32; channels-last as `load_model` returns it, against NCHW in the same process)', '',
          '| size | channels-last, no_grad | pairs/s | achieved GFLOP/s | of ceiling | NCHW no_grad (before) | NCHW inference_mode | channels-last speed-up | peak RSS |',
          '|---|---|---|---|---|---|---|---|---|']
    for r in res.get('generate', []):
        if 'error' in r: L.append(f"| error | {r['error'][-200:]!r} |"); continue
        L.append(f"| {r['size']} px | {fmt(r['cl_no_grad_s'])} | {r['pairs_per_s']:.0f} | {r['gflops']:.1f} | {r['gflops'] / ceil:.0%} | "
                 f"{fmt(r['nchw_no_grad_s'])} | {fmt(r['nchw_inference_mode_s'])} | {r['nchw_no_grad_s']['median'] / r['cl_no_grad_s']['median']:.2f}x | {r['peak_mb']:.0f} MB |")
    st = res.get('style', {'error': 'not run'})
    if 'error' not in st:
        L += ['', f"## Style refinement (64 px, batch {st['batch']}, default settings)", '',
              f"{st['seconds_per_image']:.2f} s per image (batch {fmt(st['batch_s'])}), peak RSS {st['peak_mb']:.0f} MB"]
    c = res.get('compile', {})
    if c and 'error' not in c:
        L += ['', f"## torch.compile at {c['size']} px (compile time against the time it saves, same process)", '',
              '| what | eager | compiled | speed-up | compile time (first call, no cache) | break-even |', '|---|---|---|---|---|---|']
        for what, key in (('generation, whole pyramid, batch 32', 'generate'), ('training step, finest generator compiled', 'train')):
            e, cc = c[key]['eager']['median'], c[key]['compiled']['median']
            be = f"{c[key + '_compile_s'] / (e - cc):.0f} calls" if e > cc else 'never'
            L.append(f"| {what} | {fmt(c[key]['eager'])} | {fmt(c[key]['compiled'])} | {e / cc:.2f}x | {c[key + '_compile_s']:.1f} s | {be} |")
    elif c: L += ['', '## torch.compile', '', f"failed: {c['error'][-300:]!r}"]
    if 'demo' in res:
        d = res['demo']; L += ['', '## Demo preset (`alphagan_train --demo`)', '', f"wall {d['wall_s']:.0f} s, exit {d['rc']}, peak RSS {d['peak_mb'] or float('nan'):.0f} MB"]
        if d.get('scales'):
            L += ['', f"training {sum(x['seconds'] for x in d['scales']):.0f} s: " + ' / '.join(f"{x['seconds']:.0f} s ({x['steps']} steps)" for x in d['scales'])
                  + ' per scale, coarsest first']
    if 'nbdev_test' in res:
        d = res['nbdev_test']; L += ['', '## `OMP_NUM_THREADS=1 nbdev_test`', '', f"wall {d['wall_s']:.0f} s, exit {d['rc']}"]
    return '\n'.join(L) + '\n'

def isa_report(res):
    "Per instruction set: ceiling, training steps against that ceiling, top operators; then the shared-CPU table."
    L, isas = [], res.get('isa', {})
    if len(isas) > 1 or any(r.get('profile') for r in isas.values()):
        L += ['', '## Instruction sets: training steps against the ceiling of the same ISA', '',
              '| ISA (torch capability) | ceiling GFLOP/s | ' + ' | '.join(f"{t['size']} px step (of ceiling)" for t in next(iter(isas.values()))['train'] if 'error' not in t) + ' |',
              '|---|---|' + '---|' * sum('error' not in t for t in next(iter(isas.values()))['train'])]
        for isa, r in isas.items():
            c = r['ceiling']; cg = c['gflops']['median']
            cells = [f"{t['step_s']['median']:.3g} s ({t['gflops'] / cg:.0%})" for t in r['train'] if 'error' not in t]
            L.append(f"| {isa} ({c.get('capability', '?')}) | {cg:.0f} | " + ' | '.join(cells) + ' |')
            if all('plain_critics_step_s' in t for t in r['train'] if 'error' not in t):   # same FLOPs, the slower time
                cells = [f"{t['plain_critics_step_s']['median']:.3g} s ({t['gflops'] * t['step_s']['median'] / t['plain_critics_step_s']['median'] / cg:.0%})"
                         for t in r['train'] if 'error' not in t]
                L.append(f"| {isa}, critics of nn.Conv2d (before) | {cg:.0f} | " + ' | '.join(cells) + ' |')
        for isa, r in isas.items():
            for key, when in (('profile_before', 'before: critics of nn.Conv2d'), ('profile', 'after: critics of PenaltyConv2d')):
                pr = r.get(key)
                if not pr or 'error' in pr: continue
                L += ['', f"### Where a {pr['size']} px step's time goes, {isa} ({pr['capability']}, {pr['threads']} threads), {when}: "
                      f"{pr['step_s_profiled']:.3g} s per profiled step, convolutions {pr['conv_share']:.0%}", '',
                      '| operator | ms per step | share | calls per step |', '|---|---|---|---|']
                L += [f"| `{o['op']}` | {o['ms_per_step']:.1f} | {o['share']:.0%} | {o['calls_per_step']:.0f} |" for o in pr['ops']]
    if res.get('contention'):
        L += ['', '## A shared CPU: the 32 px step alone and beside one busy process (physical limit 2x on 2 cores)', '',
              '| setting | alone | beside a busy process | slowdown | threads at the end (busy) |', '|---|---|---|---|---|']
        for r in res['contention']:
            a, b = r['alone'], r['busy']
            if 'error' in a or 'error' in b: L.append(f"| {r['setting']} | error | {(a.get('error') or b.get('error'))[-150:]!r} | | |"); continue
            L.append(f"| {r['setting']} | {a['step_s'] * 1e3:.0f} ms | {b['step_s'] * 1e3:.0f} ms | {b['step_s'] / a['step_s']:.2f}x | {b['threads_at_end']} |")
    return L

if __name__ == '__main__': main()
