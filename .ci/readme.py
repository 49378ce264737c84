"""Make README.md from nbs/index.ipynb without Quarto (nbdev_readme needs it).

Drops hidden cells and nbdev directives, renders the notebook to Markdown with nbconvert, and rewrites
relative links so that pictures under nbs/ resolve from the repository root.
Usage: python .ci/readme.py [--check]   (--check: exit 1 if README.md differs from what would be written)
"""
import re, sys, copy
from pathlib import Path
import nbformat
from nbconvert import MarkdownExporter

root = Path(__file__).resolve().parent.parent
nb = nbformat.read(root/'nbs'/'index.ipynb', as_version=4)
hide_re = re.compile(r'^\s*#\|\s*(hide|export|exporti|exports)\b', re.M)
cells = []
for c in nb.cells:
    if c.cell_type == 'code':
        if hide_re.search(c.source) or re.search(r'^\s*#\|\s*include:\s*false', c.source, re.M): continue
        c = copy.deepcopy(c)
        echo_false = re.search(r'^\s*#\|\s*echo:\s*false', c.source, re.M)
        c.source = '\n'.join(l for l in c.source.splitlines() if not l.lstrip().startswith('#|')).strip()
        if echo_false: c.source = ''
        c.outputs = [o for o in c.outputs if o.get('output_type') == 'stream' or 'text/markdown' in o.get('data', {}) or 'text/plain' in o.get('data', {})]
        c.outputs = [o for o in c.outputs if not ('image/png' in o.get('data', {}))]
    cells.append(c)
nb.cells = cells
body, _ = MarkdownExporter().from_notebook_node(nb)
# relative links/images ("assets/x.png", "08_inference.ipynb") are relative to nbs/
body = re.sub(r'(\]\()(?!https?://|#|/)([^)]+)\)', lambda m: f"{m.group(1)}nbs/{m.group(2)})", body)
body = re.sub(r'\n{3,}', '\n\n', body).strip() + '\n'
out = root/'README.md'
if '--check' in sys.argv:
    if not out.exists() or out.read_text() != body:
        print('README.md differs from nbs/index.ipynb: run python .ci/readme.py'); sys.exit(1)
    print('README.md is in step with nbs/index.ipynb')
else:
    out.write_text(body); print(f'wrote {out}')
