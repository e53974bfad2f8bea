#!/usr/bin/env bash
# Rasa in its own virtual environment (Python 3.10; Rasa 3.6 pins SQLAlchemy < 1.5, so it can
# never share the bot's environment). Usage: scripts/rasa.sh install|train|serve [EPOCHS]
# Installed from scripts/rasa-requirements.txt: Rasa 3.6.21 and every dependency pinned with
# hashes (made by `uv pip compile` from scripts/rasa-requirements.in; see its header), so every
# machine trains and serves with the same TensorFlow, rasa-sdk and the rest.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${RASA_VENV:-.rasa-venv}
MODELS=${RASA_MODELS:-data/rasa-models}
PORT=${RASA_PORT:-5005}

find_python310() {
  if python3.10 -V >/dev/null 2>&1; then command -v python3.10; return; fi
  local root; root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
  for candidate in "$root"/versions/3.10*/bin/python3.10 /usr/bin/python3.10; do
    [ -x "$candidate" ] && { echo "$candidate"; return; }
  done
  echo "Rasa needs Python 3.10 and none was found" >&2; exit 1
}

LOCK=scripts/rasa-requirements.txt

install() {
  # The stamp holds the lock's checksum: a changed lock re-installs into the same venv.
  local want; want=$(sha256sum "$LOCK" | cut -d" " -f1)
  [ "$(cat "$VENV/.installed" 2>/dev/null)" = "$want" ] && return
  [ -x "$VENV/bin/pip" ] || "$(find_python310)" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --upgrade "pip<24.1"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --require-hashes -r "$LOCK"
  echo "$want" > "$VENV/.installed"
}

train() {
  install
  local epochs=${1:-100} config=nlu/config.yml
  if [ "$epochs" != 100 ]; then
    config=$(mktemp --suffix=.yml)
    sed "s/epochs: 100/epochs: $epochs/" nlu/config.yml > "$config"
  fi
  mkdir -p "$MODELS"
  "$VENV/bin/rasa" train nlu --config "$config" --nlu nlu/data --domain nlu/domain.yml \
    --out "$MODELS" --fixed-model-name desabot-nlu
}

serve() {
  [ -f "$MODELS/desabot-nlu.tar.gz" ] || train "${1:-100}"
  exec "$VENV/bin/rasa" run --enable-api --model "$MODELS/desabot-nlu.tar.gz" \
    --interface 127.0.0.1 --port "$PORT"
}

case "${1:-serve}" in
  install) install ;;
  train) train "${2:-100}" ;;
  serve) serve "${2:-100}" ;;
  *) echo "usage: $0 install|train|serve [EPOCHS]" >&2; exit 2 ;;
esac
