#!/usr/bin/env bash
# Regenerates the checked-in shell completions from the CLI definition.
# tests/suite/completions.rs fails when they drift; run this and commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
# The scripts themselves, not their --json documents.
unset PLURUM_JSON
cargo build --quiet --bin plurum
bin=target/debug/plurum
$bin completions bash > completions/plurum.bash
$bin completions zsh > completions/_plurum
$bin completions fish > completions/plurum.fish
$bin completions elvish > completions/plurum.elv
$bin completions powershell > completions/_plurum.ps1
echo "completions/ regenerated" >&2
