#!/usr/bin/env bash
# Install the Debian packages listed in system-packages.txt that are missing.
# Idempotent and quick when everything is present; needs root (or sudo) only when
# something is missing. On a machine without apt-get it prints what is needed instead.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
while read -r pkg; do
  [ -z "$pkg" ] && continue
  case "$pkg" in \#*) continue ;; esac
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    # python3-venv matters only when the interpreter cannot make a venv by itself
    # (a pyenv or python.org build can).
    if [ "$pkg" = python3-venv ] && python3 -c "import ensurepip, venv" 2>/dev/null; then continue; fi
    missing+=("$pkg")
  fi
done < system-packages.txt

[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "jixiao: please install these system packages: ${missing[*]}" >&2
  echo "        (fonts: any Noto Sans CJK SC installation works)" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "jixiao: need root to install: ${missing[*]}" >&2; exit 1
  fi
fi
echo "jixiao: installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
