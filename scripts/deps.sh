#!/usr/bin/env bash
# Installs, through apt, whatever the build, the tests and the benchmarks need
# and this machine lacks. Safe to run again; does nothing when all is present.
set -euo pipefail

packages=(
  cmake make gcc pkg-config
  libpng-dev zlib1g-dev libjpeg62-turbo-dev libturbojpeg0-dev libfftw3-dev
  liblapacke-dev
  clang libclang-rt-14-dev
  gnuplot-nox
  libjxl-devtools
  strace
  libjpeg-turbo-progs valgrind
  chromium
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "deps: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
