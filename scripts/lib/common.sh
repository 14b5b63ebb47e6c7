# Shared helpers for scripts/test, scripts/demo and scripts/bench.
# Sourced, not executed.

NFVSM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Debian packages the build and the tests need. One list, used by every
# script and by CI (.ci/run), so a fresh machine gets the same set.
NFVSM_DEB_PACKAGES=(
  build-essential cmake ninja-build pkg-config g++ clang libclang-rt-14-dev
  clang-format clang-tidy openssl
  libssl-dev libsqlite3-dev libsqlitecpp-dev sqlite3
  protobuf-compiler libprotobuf-dev
  nlohmann-json3-dev libspdlog-dev libfmt-dev libcli11-dev libinih-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libcpp-httplib-dev
  librabbitmq-dev rabbitmq-server python3-oslo.messaging
  pybind11-dev python3-dev python3-pytest python3-oslo.config
  python3-stevedore python3-webob python3-paste python3-pastedeploy
  python3-jsonschema python3-openstacksdk python3-osc-lib
  python3-heat python3-masakari python3-openstackclient shellcheck crudini
  python3-protobuf python3-kombu
)

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Installs the packages that are missing (as root, with apt-get). Runs
# apt-get update only when something has to be installed.
install_deps() {
  local missing=()
  local p
  for p in "${NFVSM_DEB_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# Configures (once) and builds a CMake preset.
build_preset() {
  local preset=$1
  shift
  if [ ! -f "$NFVSM_ROOT/build/$preset/build.ninja" ]; then
    cmake --preset "$preset" -S "$NFVSM_ROOT" >/dev/null
  fi
  cmake --build "$NFVSM_ROOT/build/$preset" -j "$(nproc)" "$@"
}
