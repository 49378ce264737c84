#!/usr/bin/env bash
# Real-browser test of the explorer (alphagan_nb.explorer): train a tiny checkpoint, start JupyterLab on
# 127.0.0.1, open a notebook that shows the explorer in headless Chromium (Playwright, no browser download),
# run all cells, move the seed slider with the keyboard and check that the image changes and nothing errors.
# Needs: the package with jupyterlab + ipywidgets in $PYTHON (default: python), Node.js >= 20 with npm, and
# Debian's chromium (installed with apt-get when missing and running as root).
# Env: PYTHON, CHROMIUM (default /usr/bin/chromium), BROWSER_TEST_OUT (screenshots; default /tmp/alphagan_browser_test).
# Prints one last line: "browser test: passed" or "browser test: FAILED (reason)"; exit status 0 only on success.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
PY=${PYTHON:-python}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
OUT=${BROWSER_TEST_OUT:-/tmp/alphagan_browser_test}
t0=$(date +%s)
tmp=$(mktemp -d /tmp/alphagan_browser.XXXXXX)
jpid=""; npid=""; base=""; token=""

say() { echo "[browser test $(( $(date +%s) - t0 )) s] $*"; }

cleanup() {
  if [ -n "$npid" ] && kill -0 "$npid" 2>/dev/null; then kill -TERM -- "-$npid" 2>/dev/null; sleep 1; kill -KILL -- "-$npid" 2>/dev/null; fi
  if [ -n "$jpid" ] && kill -0 "$jpid" 2>/dev/null; then
    # shut the kernels down through the server first (they run in sessions of their own), then the server
    if [ -n "$base" ]; then
      for k in $(curl -s "$base/api/kernels?token=$token" | "$PY" -c "import json,sys; print(' '.join(k['id'] for k in json.load(sys.stdin)))" 2>/dev/null); do
        curl -s -X DELETE "$base/api/kernels/$k?token=$token" > /dev/null 2>&1
      done
    fi
    kill -TERM -- "-$jpid" 2>/dev/null
    for _ in $(seq 20); do kill -0 "$jpid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$jpid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'echo "browser test: FAILED (interrupted)"; exit 130' INT TERM

fail() {
  echo "browser test: FAILED ($*)"
  exit 1
}

# 1. What it needs: the package in $PY, Node.js, playwright-core (npm, no browser download), Debian's chromium.
"$PY" -c "import alphagan_nb.explorer, jupyterlab, ipywidgets" 2>"$tmp/import.log" \
  || { cat "$tmp/import.log"; fail "$PY cannot import alphagan_nb.explorer, jupyterlab and ipywidgets: install the package with its dev requirements"; }
command -v node > /dev/null && command -v npm > /dev/null || fail "node and npm (Node.js >= 20) are needed"
command -v curl > /dev/null || fail "curl is needed"
if [ ! -x "$CHROMIUM" ]; then
  [ "$(id -u)" -eq 0 ] || fail "$CHROMIUM is missing and this is not root: install Debian's chromium (apt-get install chromium)"
  say "installing chromium with apt-get"
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; } > "$tmp/apt.log" 2>&1 \
    || { tail -20 "$tmp/apt.log"; fail "apt-get install chromium failed"; }
  [ -x "$CHROMIUM" ] || fail "apt-get installed chromium but $CHROMIUM is not there"
fi
if [ ! -f .ci/browser/node_modules/playwright-core/package.json ]; then
  say "npm ci (playwright-core only; no browser is downloaded)"
  (cd .ci/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund) > "$tmp/npm.log" 2>&1 \
    || { tail -20 "$tmp/npm.log"; fail "npm ci in .ci/browser failed"; }
fi

# 2. A tiny checkpoint and the notebook that shows the explorer on it.
say "training a tiny checkpoint"
OMP_NUM_THREADS=1 MPLBACKEND=Agg "$PY" .ci/browser/setup_notebook.py "$tmp/work" > "$tmp/setup.log" 2>&1 \
  || { tail -20 "$tmp/setup.log"; fail "training the tiny checkpoint failed"; }
cat "$tmp/setup.log"

# 3. JupyterLab on 127.0.0.1, a free port, a random token, private settings (no news/update checks), own session.
port=$("$PY" -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
token=$("$PY" -c "import secrets; print(secrets.token_hex(16))")
base="http://127.0.0.1:$port"
mkdir -p "$tmp/lab-settings/@jupyterlab/apputils-extension" "$tmp/lab-settings/@jupyterlab/notebook-extension" \
         "$tmp/workspaces" "$tmp/runtime" "$tmp/config"
echo '{"fetchNews": "false", "checkForUpdates": false}' > "$tmp/lab-settings/@jupyterlab/apputils-extension/notification.jupyterlab-settings"
echo '{"autoStartDefaultKernel": true}' > "$tmp/lab-settings/@jupyterlab/notebook-extension/tracker.jupyterlab-settings"
allow_root=""; [ "$(id -u)" -eq 0 ] && allow_root="--allow-root"   # containers and CI runners often run as root
say "starting JupyterLab on port $port"
JUPYTERLAB_SETTINGS_DIR="$tmp/lab-settings" JUPYTERLAB_WORKSPACES_DIR="$tmp/workspaces" JUPYTER_RUNTIME_DIR="$tmp/runtime" \
JUPYTER_CONFIG_DIR="$tmp/config" OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 \
  setsid "$PY" -m jupyter lab --no-browser --IdentityProvider.token="$token" --ServerApp.ip=127.0.0.1 --ServerApp.port="$port" \
    --ServerApp.port_retries=0 --ServerApp.root_dir="$tmp/work" $allow_root \
    > "$tmp/jupyter.log" 2>&1 < /dev/null &
jpid=$!
for _ in $(seq 120); do
  curl -sf "$base/api/status?token=$token" > /dev/null 2>&1 && break
  kill -0 "$jpid" 2>/dev/null || { tail -20 "$tmp/jupyter.log"; fail "JupyterLab exited at start"; }
  sleep 0.5
done
curl -sf "$base/api/status?token=$token" > /dev/null 2>&1 || { tail -20 "$tmp/jupyter.log"; fail "JupyterLab did not answer within 60 s"; }
say "JupyterLab is up"

# 4. The browser part (headless Chromium through playwright-core), in its own session so that it can be stopped.
mkdir -p "$OUT" || fail "cannot create the screenshot folder $OUT"
rm -f "$OUT"/explorer_[12].png "$OUT"/explorer_[12]_page.png "$OUT"/failure.png "$OUT"/failure.txt
JLAB_URL="$base" JLAB_TOKEN="$token" NOTEBOOK=explorer_test.ipynb OUT_DIR="$OUT" USER_DATA_DIR="$tmp/chromium-profile" \
CHROMIUM="$CHROMIUM" NODE_PATH="$root/.ci/browser/node_modules" \
  setsid timeout 300 node .ci/browser/explorer_test.mjs &
npid=$!
wait "$npid"; rc=$?
npid=""
if [ "$rc" -ne 0 ]; then
  reason=$(tr -s '\n\t' '  ' < "$OUT/failure.txt" 2>/dev/null || echo "the browser script exited with status $rc")
  [ "$rc" -eq 124 ] && reason="the browser script ran out of time (300 s)"
  echo "--- JupyterLab log (last lines)"; tail -15 "$tmp/jupyter.log"
  fail "$reason; screenshots in $OUT"
fi
say "done; screenshots in $OUT"
echo "browser test: passed"
