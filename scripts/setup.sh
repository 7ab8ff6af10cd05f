#!/usr/bin/env bash
# One idempotent setup entry point: npm dependencies, the Pulumi CLI (the installed one, or the pinned
# release built offline), and the project's Python environment (.venv) for moto and the Django suite.
# Usage: scripts/setup.sh [--quiet] [--check] [--build-pulumi]
#   --quiet         print only what is being installed or built, and errors
#   --check         change nothing; exit 1 if anything is missing, 2 if this machine cannot be set up (prints what)
#   --build-pulumi  build the pinned Pulumi CLI even though the pulumi on PATH cannot run this project
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_dir="$repo_root/tools/pulumi"
moto_requirements="$repo_root/sandbox/moto/requirements.txt"
django_requirements="$repo_root/tests/consumers/django/requirements.txt"

quiet=false
check_only=false
build_pulumi=false
for arg in "$@"; do
  case "$arg" in
    --quiet) quiet=true ;;
    --check) check_only=true ;;
    --build-pulumi) build_pulumi=true ;;
    -h|--help) sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

say() { $quiet || echo "setup: $*"; }
work() { echo "setup: $*"; }
fail() { echo "setup: error: $*" >&2; exit 1; }
missing=()
# What this machine lacks and setup cannot install (exit 2): with --check, listed with the rest.
cannot=()
refuse() {
  if $check_only; then cannot+=("$*"); return; fi
  echo "setup: $*; nothing was installed" >&2
  exit 2
}

started=$SECONDS

node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
(( node_major >= 20 )) || fail "Node.js 20 or later is required (found: $(node --version 2>/dev/null || echo none))"

# The release the tools module pins is the one version everything else agrees on; pins.cjs is its one reader.
pulumi_version="$(node "$tools_dir/pins.cjs" pulumi)" || fail "could not read the pinned Pulumi version from tools/pulumi/go.mod"
go_required="$(node "$tools_dir/pins.cjs" go)" || fail "could not read the Go version tools/pulumi/go.mod needs"

# --- Node.js and npm dependencies -------------------------------------------------------------

lock="$repo_root/package-lock.json"
installed_lock="$repo_root/node_modules/.package-lock.json"
if [[ ! -f "$installed_lock" || "$lock" -nt "$installed_lock" ]]; then
  if $check_only; then missing+=("npm dependencies (npm ci)"); else
    work "installing npm dependencies (npm ci)..."
    t=$SECONDS
    (cd "$repo_root" && npm ci --no-audit --no-fund --loglevel=error)
    work "npm dependencies installed in $((SECONDS - t)) s"
  fi
else
  say "npm dependencies: up to date"
fi

# --- The compiled build (dist/) ---------------------------------------------------------------
# npm ci compiles as the package's prepare step; after a pull or an edit the entry points would fall
# back to tsx (correct, slower) until the next build, so setup rebuilds a stale one.
if node "$repo_root/build/loadCompiled.cjs" --check; then
  say "build: up to date"
elif $check_only; then
  missing+=("the compiled build (npm run build)")
else
  work "compiling the TypeScript sources into dist/ (npm run build)..."
  (cd "$repo_root" && npm run build --silent)
fi

# --- Pulumi CLI and Node.js language host -----------------------------------------------------
# pulumiCliChoice.cjs decides, for setup and the driver alike: the operator's pulumi on PATH when it
# can run this project, else the pinned release built here, else build that.
choose_cli() { node "$repo_root/automation/toolchain/pulumiCliChoice.cjs" "$@"; }
if choice_output="$(choose_cli $($build_pulumi && echo --build-pulumi))"; then
  mapfile -t choice <<< "$choice_output"
elif $check_only; then
  choice=(unknown)
  missing+=("the Pulumi CLI choice (it needs the npm dependencies)")
else
  fail "could not decide which Pulumi CLI to use (see above)"
fi
cli_use="${choice[0]}"
cli_line="${choice[3]:-}"
# Where the pinned release is (or goes): the choice names it whenever it is the one to use or build.
install_dir="$(dirname "${choice[1]:-.}")"

# A stamp of the tools module's sources: when they change, the pinned binaries are rebuilt.
sources_stamp() {
  (cd "$tools_dir" && find . -type f \( -name '*.go' ! -name '*_test.go' -o -name 'go.mod' -o -name 'go.sum' \) -print0 \
    | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
}
stamp_file="$install_dir/.talentbase-iam-stamp"

cli_version() { "$1" version 2>/dev/null || true; }

pinned_current() {
  [[ "$(cli_version "$install_dir/pulumi")" == "v$pulumi_version" ]] &&
    [[ "$(cat "$stamp_file" 2>/dev/null)" == "$(sources_stamp)" ]]
}

# Offline, an older Go cannot fetch the newer toolchain go.mod asks for: say so before building.
go_found=""
go_usable() {
  go_found="$(go env GOVERSION 2>/dev/null | sed 's/^go//' || true)"
  [[ -n "$go_found" && "$(printf '%s\n%s\n' "$go_required" "$go_found" | sort -V | head -1)" == "$go_required" ]]
}
refuse_without_go() {
  local range found="Go is not"
  range="$(node -p 'require(process.argv[1]).SUPPORTED_PULUMI_RANGE' "$repo_root/automation/toolchain/pulumiCliChoice.cjs")"
  [[ -z "$go_found" ]] || found="only Go $go_found is"
  refuse "building the pinned Pulumi CLI v$pulumi_version needs Go $go_required or later, and $found on PATH: install a Pulumi CLI $range (with its pulumi-language-nodejs beside it), or Go $go_required or later"
}

build_pinned() {
  work "building Pulumi CLI v$pulumi_version and the Node.js language host from the Go module proxy"
  work "(the first build downloads ~150 modules and compiles for 4-9 minutes on two cores; later runs skip this)"
  local t=$SECONDS ldflags
  # Global, not local: the EXIT trap reads it after this function has returned.
  build_dir="$(mktemp -d)"
  trap 'rm -rf "$build_dir"' EXIT
  ldflags="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$pulumi_version"
  (
    cd "$tools_dir"
    go build -trimpath -tags osusergo,grpcnotrace -ldflags "$ldflags" \
      -o "$build_dir/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
    go build -trimpath -ldflags "$ldflags" \
      -o "$build_dir/pulumi-language-nodejs" ./cmd/pulumi-language-nodejs
  ) || fail "the Go build failed (output above); nothing was installed"
  [[ "$(cli_version "$build_dir/pulumi")" == "v$pulumi_version" ]] ||
    fail "the built CLI reports '$(cli_version "$build_dir/pulumi")', expected v$pulumi_version; nothing was installed"
  mkdir -p "$install_dir"
  # Move into place only after both built, so an interrupted build never leaves half a toolchain.
  mv -f "$build_dir/pulumi" "$build_dir/pulumi-language-nodejs" "$install_dir/"
  sources_stamp > "$stamp_file"
  work "pulumi $(cli_version "$install_dir/pulumi") installed in $install_dir in $((SECONDS - t)) s ($(du -sh "$install_dir" | cut -f1))"
  mapfile -t choice <<< "$(choose_cli)"
  say "${choice[3]}"
}

case "$cli_use" in
  installed)
    say "$cli_line" ;;
  pinned)
    if pinned_current; then say "$cli_line (up to date)"
    elif $check_only; then missing+=("Pulumi CLI v$pulumi_version in $install_dir is older than tools/pulumi's sources (setup rebuilds it)")
    elif go_usable; then build_pinned
    else refuse_without_go
    fi ;;
  build)
    if ! go_usable; then refuse_without_go
    elif $check_only; then missing+=("${cli_line#Pulumi CLI: } (Go $go_found found)")
    else build_pinned
    fi ;;
  refuse)
    refuse "$cli_line" ;;
esac

# --- The project's Python environment (.venv): moto and the Django consumer suite ---------------
# A virtualenv of the project's own: nothing goes into the user's Python, which PEP 668 systems
# (Debian 12+, Ubuntu 23.04+, Homebrew) refuse to install into anyway. Everything that runs moto or
# the Django suite uses .venv/bin/python (sandbox/projectPython.ts).
venv_dir="$repo_root/.venv"
venv_python="$venv_dir/bin/python"
# Django 5.2 needs Python 3.10; moto 5.2 runs on it too.
python_minimum="3.10"

make_venv() {
  command -v python3 >/dev/null ||
    { refuse "moto and the Django consumer suite need Python $python_minimum or later as python3 on PATH"; return; }
  local found
  found="$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
  [[ "$(printf '%s\n%s\n' "$python_minimum" "$found" | sort -V | head -1)" == "$python_minimum" ]] ||
    { refuse "moto and the Django consumer suite need Python $python_minimum or later (python3 on PATH is $found)"; return; }
  # Debian and Ubuntu ship venv's pip bootstrap (ensurepip) in a package of its own.
  python3 -c 'import venv, ensurepip' 2>/dev/null ||
    { refuse "python3 ($(command -v python3), $found) cannot make a virtualenv: its ensurepip module is missing (on Debian and Ubuntu install the package python3-venv: sudo apt install python3-venv)"; return; }
  $check_only && { missing+=("the project's Python environment .venv (python3 -m venv, then moto and the Django suite's pins)"); return; }
  work "making the project's Python environment .venv (python3 -m venv, Python $found)..."
  python3 -m venv --clear "$venv_dir" || { rm -rf "$venv_dir"; fail "python3 -m venv could not make .venv (output above)"; }
}

# Each pin .venv does not satisfy, as "name==pin (found: version)", one a line.
python_unmet() {
  "$venv_python" - "$moto_requirements" "$django_requirements" <<'PY' 2>/dev/null || echo "the pins (.venv/bin/python cannot read them)"
import re, sys
from importlib.metadata import PackageNotFoundError, version
for requirements in sys.argv[1:]:
    for line in open(requirements):
        match = re.match(r"^([A-Za-z0-9_.-]+)(\[[^]]*\])?==(\S+)", line.strip())
        if not match:
            continue
        name, pin = match.group(1), match.group(3)
        try:
            found = version(name)
        except PackageNotFoundError:
            found = "none"
        if found != pin:
            print(f"{name}=={pin} (found: {found})")
PY
}

"$venv_python" -c '' 2>/dev/null || make_venv
if "$venv_python" -c '' 2>/dev/null; then
  unmet="$(python_unmet)"
  if [[ -z "$unmet" ]]; then
    say "Python environment .venv: $(sed -n 's/^\(moto\|awscli\|Django\|django-storages\|boto3\)\(\[[a-z0-9]*\]\)\{0,1\}==\(.*\)/\1 \3/p' "$moto_requirements" "$django_requirements" | paste -sd, - | sed 's/,/, /g') installed"
  elif $check_only; then
    while IFS= read -r pin; do missing+=(".venv: $pin"); done <<< "$unmet"
  else
    work "installing into .venv: $(echo "$unmet" | paste -sd, - | sed 's/,/, /g')..."
    # PIP_USER=0: a user-wide `user = true` pip setting would make pip refuse to install into a virtualenv.
    PIP_USER=0 "$venv_python" -m pip install --quiet --disable-pip-version-check -r "$moto_requirements" -r "$django_requirements" ||
      fail "pip could not install sandbox/moto/requirements.txt and tests/consumers/django/requirements.txt into .venv"
  fi
fi

if $check_only && (( ${#cannot[@]} )); then
  printf 'setup: cannot: %s\n' "${cannot[@]}" >&2
  (( ${#missing[@]} )) && printf 'setup: missing: %s\n' "${missing[@]}" >&2
  exit 2
fi
if $check_only && (( ${#missing[@]} )); then
  printf 'setup: missing: %s\n' "${missing[@]}" >&2
  echo "setup: run 'npm run setup' to install them" >&2
  exit 1
fi
say "ready in $((SECONDS - started)) s"
