# Shared by scripts/run and scripts/test: Debian packages and the virtualenv, installed when missing.

apt_install() {
  command -v dpkg >/dev/null 2>&1 || return 0
  local missing=() p
  for p in "$@"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing Debian packages: ${missing[*]}"
  # Another apt (unattended-upgrades on a fresh machine) may hold the dpkg lock: wait for it.
  $sudo apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The files pip reads for a requirements file: the file itself, then (recursively) those it includes
# with -r / --requirement, which pip resolves relative to the including file.
requirement_files() {
  local file=$1 included
  echo "$file"
  while IFS= read -r included; do
    requirement_files "$(dirname "$file")/$included"
  done < <(sed -nE 's/^[[:space:]]*(-r|--requirement)[[:space:]=]*([^[:space:]#]+).*/\2/p' "$file")
}

ensure_venv() {
  local requirements=$1 python=${PYTHON:-python3}
  if [ ! -x .venv/bin/python ]; then
    if ! "$python" -m venv .venv >/dev/null 2>&1; then
      rm -rf .venv
      apt_install python3-venv
      "$python" -m venv .venv
    fi
  fi
  # One stamp per requirements file, holding the hash of that file and of those it includes: scripts/run's
  # install (requirements.txt) must not stand for scripts/test's (requirements-dev.txt).
  local stamp hash
  stamp=".venv/.installed/$(basename "$requirements")"
  hash=$(requirement_files "$requirements" | while IFS= read -r f; do cat "$f"; done | sha256sum | cut -c1-16)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$hash" ]; then
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -r "$requirements"
    mkdir -p .venv/.installed
    echo "$hash" >"$stamp"
  fi
}

# WeasyPrint renders PDFs through Pango.
WEASYPRINT_DEBS=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
