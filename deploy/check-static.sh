#!/bin/sh
# Builds ./cmd/parley as the Dockerfile does (CGO_ENABLED=0) and checks the
# binary is static: no ELF interpreter (PT_INTERP) and no dynamic section.
# Usage: deploy/check-static.sh [package]   (default ./cmd/parley)
# Installs nothing: uses readelf when present, else a tiny Go program with
# debug/elf.
set -eu

cd "$(dirname "$0")/.."
pkg="${1:-./cmd/parley}"

if [ ! -d "$pkg" ]; then
	echo "check-static: $pkg does not exist yet; skipping"
	exit 0
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT INT TERM
bin="$tmp/$(basename "$pkg")"

CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$bin" "$pkg"

if ! go version -m "$bin" | grep -q 'CGO_ENABLED=0'; then
	echo "check-static: $pkg: build settings do not say CGO_ENABLED=0:" >&2
	go version -m "$bin" >&2
	exit 1
fi

if command -v readelf >/dev/null 2>&1; then
	if readelf -lW "$bin" | grep -q 'INTERP'; then
		echo "check-static: $pkg: dynamically linked (has an ELF interpreter):" >&2
		readelf -lW "$bin" | grep -A1 INTERP >&2
		exit 1
	fi
	if readelf -dW "$bin" 2>/dev/null | grep -q 'NEEDED'; then
		echo "check-static: $pkg: needs shared libraries:" >&2
		readelf -dW "$bin" | grep NEEDED >&2
		exit 1
	fi
else
	cat >"$tmp/elfcheck.go" <<'GO'
package main

import (
	"debug/elf"
	"fmt"
	"os"
)

func main() {
	f, err := elf.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "check-static:", err)
		os.Exit(2)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			fmt.Fprintf(os.Stderr, "check-static: %s: dynamically linked (%v)\n", os.Args[1], p.Type)
			os.Exit(1)
		}
	}
}
GO
	(cd "$tmp" && GO111MODULE=off go run elfcheck.go "$bin")
fi

size=$(wc -c <"$bin" | tr -d ' ')
echo "check-static: $pkg: static ($size bytes)"
