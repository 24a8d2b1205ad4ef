#!/usr/bin/env bash
# Makes the PDF and DOCX test files of the report parser from the real published reports:
# every complete report of ../shared/reports (its .txt, as the text was published) through
# LibreOffice to .pdf and .docx, and every web page of ../shared/reports/html through
# Chromium's print-to-PDF (as a browser prints the page) and LibreOffice to .docx (as Word
# saves the page). The outputs are committed under crates/gongkai-report/tests/data/published;
# tests/published_documents.rs reads them against ../shared/reports/expected.
#
# Needs: libreoffice-writer-nogui, chromium, fonts-noto-cjk (Debian).
# usage: scripts/make-report-fixtures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
src=../shared/reports
out=crates/gongkai-report/tests/data/published
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/gongkai-fixtures.XXXXXX")
trap 'rm -rf "$work"' EXIT
for tool in soffice chromium; do
  command -v "$tool" >/dev/null || { echo "make-report-fixtures: $tool is not installed" >&2; exit 2; }
done
# The complete reports (index.tsv column 5 = yes).
awk -F'\t' 'NR > 1 && $5 == "yes" { print $1 }' "$src/index.tsv" | while read -r f; do
  cp "$src/$f" "$work/"
  (cd "$work" && soffice --headless --convert-to pdf "$f" >/dev/null 2>&1 \
     && soffice --headless --convert-to 'docx:MS Word 2007 XML' "$f" >/dev/null 2>&1)
  base=${f%.txt}
  cp "$work/$base.pdf" "$out/$base.lo.pdf"
  cp "$work/$base.docx" "$out/$base.lo.docx"
done
for page in "$src"/html/*.html; do
  base=$(basename "$page" .html)
  cp "$page" "$work/$base.html"
  chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
    --print-to-pdf="$out/$base.chromium.pdf" "file://$work/$base.html" >/dev/null 2>&1
  (cd "$work" && soffice --headless --convert-to 'docx:MS Word 2007 XML' "$base.html" >/dev/null 2>&1)
  cp "$work/$base.docx" "$out/$base.lo-html.docx"
done
ls -la "$out"
