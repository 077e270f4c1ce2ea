#!/usr/bin/env bash
# shellcheck disable=SC2030,SC2031  # the setup subshell's exports are local on purpose
# .ci/wine-setup.sh — run the crate's x86_64-pc-windows-gnu tests under Wine
# on Debian 12 (Wine 8.0, mingw-w64).  Self-contained; idempotent.
#
# Usage (from the cargo project root; the prefix goes to $PWD/target):
#   source .ci/wine-setup.sh        # setup (if needed) + export env + start `wineserver -p`
#   cargo test --target x86_64-pc-windows-gnu
#   wine_ci_stop                    # stop the wineserver (function defined by sourcing)
#
#   .ci/wine-setup.sh setup         # only install/prepare (apt, rustup, prefix, DLL)
#   .ci/wine-setup.sh env           # print `export ...` lines (eval "$(.ci/wine-setup.sh env)")
#   .ci/wine-setup.sh run CMD...    # setup, start server, run CMD, always stop server
#   .ci/wine-setup.sh stop          # stop the wineserver of this prefix
#
# Exported: WINEPREFIX, WINEDEBUG, WINE, WINESERVER,
#           CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER, CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER
# Knobs:    WINE_CI_SKIP_APT=1 (never call apt-get), WINE_CI_SKIP_RUSTUP=1,
#           WINE_CI_WINEDEBUG (default -all), CARGO_TARGET_DIR (prefix goes to
#           $CARGO_TARGET_DIR/wine-prefix instead of $PWD/target/wine-prefix).
#
# Headless: the prefix uses Wine's "null" graphics driver (HKCU\Software\Wine\Drivers
# Graphics=null), so windows can be created (never shown) without an X server.
#
# Why the DLL: Rust std >= 1.78 (and getrandom) import bcryptprimitives.dll!ProcessPrng;
# Wine 8.0 has no bcryptprimitives.dll, so every Rust exe dies with c0000135.
# We build .ci/wine/bcryptprimitives.c (ProcessPrng via advapi32!SystemFunction036)
# and drop it into the prefix's system32 (doc tests run from temp dirs).  No DLL
# override is needed: Wine 8.0 has no builtin of that name to compete with.

# This script's directory and path (works when sourced or executed).
_wine_ci_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
_wine_ci_self="$_wine_ci_dir/$(basename "${BASH_SOURCE[0]}")"

_wine_ci_log() { printf '[wine-setup] %s\n' "$*" >&2; }

# Resolve paths/binaries into globals (no side effects).
_wine_ci_paths() {
    local tdir="${CARGO_TARGET_DIR:-target}"
    case "$tdir" in /*) ;; *) tdir="$PWD/$tdir" ;; esac
    _wine_ci_target="$tdir"
    _wine_ci_prefix="$tdir/wine-prefix"
    # Debian 12 has no `wine64` on PATH; `wine` is a wrapper execing /usr/lib/wine/wine64.
    _wine_ci_wine="$(command -v wine64 || command -v wine || true)"
    if [ -z "$_wine_ci_wine" ] && [ -x /usr/lib/wine/wine64 ]; then _wine_ci_wine=/usr/lib/wine/wine64; fi
    _wine_ci_server="$(command -v wineserver || true)"
    if [ -z "$_wine_ci_server" ] && [ -x /usr/lib/wine/wineserver ]; then _wine_ci_server=/usr/lib/wine/wineserver; fi
    return 0
}

# Full idempotent setup, in a strict-mode subshell. Call it as a plain command only:
# inside `if`/`||` bash would silently disable `set -e` (sourced mode uses `bash $0 setup`).
_wine_ci_setup() (
    set -euo pipefail
    t() { date +%s.%N; }
    dt() { awk -v a="$1" -v b="$(t)" 'BEGIN{printf "%.1fs", b-a}'; }

    # 1. Debian packages (wine = tiny wrapper package providing `wine`/`wineserver` on PATH).
    pkgs=(wine64 wine gcc-mingw-w64-x86-64)
    missing=()
    for p in "${pkgs[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        [ "${WINE_CI_SKIP_APT:-0}" = 1 ] && { _wine_ci_log "missing packages: ${missing[*]}"; exit 1; }
        sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
        s=$(t)
        _wine_ci_log "apt-get install ${missing[*]}"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
        _wine_ci_log "apt done in $(dt "$s")"
    fi

    # 2. Rust targets (windows is required; darwin only for a later `cargo check`).
    if [ "${WINE_CI_SKIP_RUSTUP:-0}" != 1 ] && command -v rustup >/dev/null; then
        installed="$(rustup target list --installed)"
        grep -qx x86_64-pc-windows-gnu <<<"$installed" || rustup target add x86_64-pc-windows-gnu
        grep -qx x86_64-apple-darwin <<<"$installed" || rustup target add x86_64-apple-darwin \
            || _wine_ci_log "warning: rustup target add x86_64-apple-darwin failed (non-fatal)"
    fi

    _wine_ci_paths
    [ -n "$_wine_ci_wine" ] || { _wine_ci_log "no wine binary found"; exit 1; }
    [ -n "$_wine_ci_server" ] || { _wine_ci_log "no wineserver found"; exit 1; }
    export WINEPREFIX="$_wine_ci_prefix" WINEDEBUG=-all
    unset DISPLAY WAYLAND_DISPLAY   # headless: winex11 just fails quietly

    # 3. Wine prefix (≈700 MB, ≈5 s). mscoree/mshtml disabled => no Mono/Gecko prompts.
    if [ ! -f "$WINEPREFIX/system.reg" ]; then
        s=$(t)
        mkdir -p "$WINEPREFIX"
        WINEDLLOVERRIDES='mscoree,mshtml=' "$_wine_ci_wine" wineboot --init >/dev/null 2>&1 || true
        timeout 120 "$_wine_ci_server" -w || true   # wait until the prefix is fully written
        [ -f "$WINEPREFIX/system.reg" ] || { _wine_ci_log "wineboot failed"; exit 1; }
        _wine_ci_log "wineboot done in $(dt "$s")"
    fi

    # 3b. Headless windows: the "null" graphics driver, so programs can create (invisible)
    # windows with no X server; the tests' fake QQ.exe needs one for `taskkill /PID`.
    # Takes effect when the wineserver next starts, so wait for the one `reg` started.
    if ! grep -q '^"Graphics"="null"' "$WINEPREFIX/user.reg" 2>/dev/null; then
        "$_wine_ci_wine" reg add 'HKCU\Software\Wine\Drivers' /v Graphics /t REG_SZ /d null /f \
            </dev/null >/dev/null 2>&1
        timeout 120 "$_wine_ci_server" -w || true
        grep -q '^"Graphics"="null"' "$WINEPREFIX/user.reg" \
            || { _wine_ci_log "could not set the null graphics driver"; exit 1; }
    fi

    # 4. ProcessPrng stand-in DLL, unless this Wine ships a real builtin one.
    sys32="$WINEPREFIX/drive_c/windows/system32"
    dst="$sys32/bcryptprimitives.dll"
    if [ -f "$dst" ] && grep -qa 'Wine builtin DLL' "$dst"; then
        _wine_ci_log "Wine has a builtin bcryptprimitives.dll; stand-in not needed"
    else
        src="$_wine_ci_dir/wine/bcryptprimitives.c"
        def="$_wine_ci_dir/wine/bcryptprimitives.def"
        out="$_wine_ci_target/wine-ci/bcryptprimitives.dll"
        mkdir -p "${out%/*}"
        if [ ! -f "$out" ] || [ "$src" -nt "$out" ] || [ "$def" -nt "$out" ]; then
            x86_64-w64-mingw32-gcc -shared -O2 -s -Wall -o "$out" "$src" "$def" -ladvapi32
        fi
        cmp -s "$out" "$dst" 2>/dev/null || cp "$out" "$dst"
    fi
)

# Print the environment as shell `export` lines.
_wine_ci_env() {
    _wine_ci_paths
    printf 'export WINEPREFIX=%q\n' "$_wine_ci_prefix"
    printf 'export WINEDEBUG=%q\n' "${WINE_CI_WINEDEBUG:--all}"
    printf 'export WINE=%q\n' "$_wine_ci_wine"
    printf 'export WINESERVER=%q\n' "$_wine_ci_server"
    printf 'export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=%q\n' "$_wine_ci_wine"
    printf 'export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=%q\n' x86_64-w64-mingw32-gcc
}

# Start a persistent wineserver for $WINEPREFIX (no-op if one is already running).
wine_ci_start() {
    if [ -z "${WINEPREFIX:-}" ] || [ -z "${WINESERVER:-}" ]; then _wine_ci_log "env not set"; return 1; fi
    # Detached daemon; keep it off our stdio so CI steps don't wait on it.
    "$WINESERVER" -p </dev/null >/dev/null 2>&1 || true   # exits 1 if already running
    # Boot the prefix's system processes (services.exe, winedevice, rpcss...) now, with
    # stdio on /dev/null. Otherwise the first test exe spawns them, they inherit its
    # stdout/stderr and, living as long as the persistent server, keep pipes such as
    # `cargo test | tee log` open => the pipeline hangs until `wine_ci_stop`.
    "$WINE" cmd /c exit 0 </dev/null >/dev/null 2>&1 || true
}

# Stop the wineserver (and any leftover wine processes) of $WINEPREFIX.
wine_ci_stop() {
    local prefix="${WINEPREFIX:-}" server="${WINESERVER:-}"
    if [ -z "$prefix" ]; then _wine_ci_paths; prefix="$_wine_ci_prefix"; server="$_wine_ci_server"; fi
    [ -d "$prefix" ] && [ -n "$server" ] || return 0
    WINEPREFIX="$prefix" "$server" -k >/dev/null 2>&1 || true
    WINEPREFIX="$prefix" timeout 30 "$server" -w >/dev/null 2>&1 || true
}

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
    # Sourced: set up (child bash, so strict mode really applies), export env into the
    # caller, start the server. On failure it returns 1 (and exports nothing).
    if bash "$_wine_ci_self" setup; then
        eval "$(_wine_ci_env)"
        unset DISPLAY WAYLAND_DISPLAY
        wine_ci_start
        _wine_ci_log "ready: WINEPREFIX=$WINEPREFIX runner=$CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER (stop with: wine_ci_stop)"
    else
        _wine_ci_log "setup failed"
        return 1
    fi
else
    set -euo pipefail
    cmd="${1:-setup}"; shift || true
    case "$cmd" in
        setup) _wine_ci_setup ;;
        env)   _wine_ci_env ;;
        start) _wine_ci_setup; eval "$(_wine_ci_env)"; wine_ci_start ;;
        stop)  wine_ci_stop ;;
        run)
            [ "${1:-}" = "--" ] && shift
            [ "$#" -gt 0 ] || { echo "usage: $0 run CMD [ARGS...]" >&2; exit 2; }
            _wine_ci_setup
            eval "$(_wine_ci_env)"
            unset DISPLAY WAYLAND_DISPLAY
            wine_ci_start
            trap wine_ci_stop EXIT
            "$@"
            ;;
        *) echo "usage: $0 [setup|env|start|stop|run CMD...]  (or: source $0)" >&2; exit 2 ;;
    esac
fi
