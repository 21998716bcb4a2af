#!/usr/bin/env bash
# Re-vendor the Vega JavaScript the book ships in book/_static/vendor (no CDN: the book must work offline).
# Versions match the ones vl-convert-python bundles, so static images and live charts agree.
# Run by hand when upgrading; `tests/test_environment.py` checks the shipped files against SHA256SUMS.
set -euo pipefail
cd "$(dirname "$0")/../book/_static/vendor"
tmp=$(mktemp -d)
for pkg in vega@6.2.0 vega-lite@6.4.1 vega-embed@7.0.2; do
  (cd "$tmp" && npm pack --silent "$pkg" >/dev/null)
done
for tgz in "$tmp"/*.tgz; do
  name=$(basename "$tgz" .tgz)          # e.g. vega-lite-6.4.1
  base=${name%-*}                       # vega-lite
  mkdir -p "$tmp/$name" && tar xzf "$tgz" -C "$tmp/$name"
  # The source-map comment points at a file we do not ship; drop it so browsers do not ask for it.
  sed 's#//\# sourceMappingURL=[^ ]*##' "$tmp/$name/package/build/$base.min.js" > "$name.min.js"
  cp "$tmp/$name/package/LICENSE" "LICENSE-$base.txt"
done
sha256sum ./*.min.js > SHA256SUMS
rm -rf "$tmp"
