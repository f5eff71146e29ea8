#!/usr/bin/env bash
# One command to install everything the tests and the Pi lab need on a fresh machine:
# Debian packages listed in .ci/apt-packages.txt (when apt is there), then npm install.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t pkgs < <(grep -v '^\s*#' .ci/apt-packages.txt | grep -v '^\s*$')
if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  missing=()
  for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
  fi
else
  echo "No apt-get here: install these with your package manager for the browser tests and the Pi lab: ${pkgs[*]}"
fi

# npm 11 refuses onnxruntime-node's install script (allowScripts in package.json); an older npm runs
# it, and on Linux x64 it would fetch the CUDA providers from NuGet. Its CPU binaries ship in the package.
ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund
