#!/usr/bin/env bash
# Does an office suite read our DOCX and XLSX the way we wrote them?
#
# Renders a canonical JSON report (default: the Shanghai 2019 report among the shared expected
# reports) to .docx and .xlsx, converts both to PDF with LibreOffice, extracts the text with
# pdftotext and checks that every number of the JSON appears in each PDF as often as in the
# JSON (so forty zero cells need forty zeros). Unit tests read the XML we write; this reads
# what a user's office suite makes of it.
# Also the 政府网站工作年度报表 (a sample form written by its unit test) as .docx and .xlsx.
#
# Not part of CI unless LibreOffice is installed: without `libreoffice` or `pdftotext` it says
# so and exits 0. Needs: libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils
# fonts-noto-cjk (Debian).
#
# With --office, checks office files written elsewhere (the workbench's 通报, for one) the
# same way: every number a file holds — the text of a .docx, the cells and strings of an
# .xlsx, read from the file's own XML — must be in the text of the PDF LibreOffice makes of
# it, as often. Numbers a cell clipped by its neighbour or a page cut off would be missing.
#
# usage: scripts/check-office-output.sh [REPORT.json] [--keep]
#        scripts/check-office-output.sh --office FILE.docx|FILE.xlsx... [--keep]
#   --keep   keep the output directory (PDFs, and a PNG of each PDF's pages for a look)
set -euo pipefail
cd "$(dirname "$0")/.."

json=""
keep=0
office=0
files=()
for a in "$@"; do
  case "$a" in
    --keep) keep=1 ;;
    --office) office=1 ;;
    *) if [ "$office" = 1 ]; then files+=("$a"); else json=$a; fi ;;
  esac
done
json=${json:-../shared/reports/expected/2019-011.json}

for tool in libreoffice pdftotext; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "check-office-output: $tool not installed, skipped"
    exit 0
  fi
done
# The numbers of a file, one per line, normalised (so 25.1 and 25.1000 compare equal).
numbers() {
  grep -oE -- '-?[0-9]+(\.[0-9]+)?' "$1" | awk '{ printf "%.6f\n", $1 + 0 }'
}

if [ "$office" = 1 ]; then
  command -v python3 >/dev/null 2>&1 || { echo "check-office-output: python3 not installed, skipped"; exit 0; }
  [ "${#files[@]}" -gt 0 ] || { echo "check-office-output: --office needs files" >&2; exit 2; }
  out=$(mktemp -d "${TMPDIR:-/tmp}/gongkai-office.XXXXXX")
  if [ "$keep" = 0 ]; then
    trap 'rm -rf "$out"' EXIT
  fi
  status=0
  for f in "${files[@]}"; do
    [ -f "$f" ] || { echo "check-office-output: no such file: $f" >&2; exit 2; }
    base=$(basename "$f")
    stem=${base%.*}
    # The text the file holds, from its XML: a .docx's paragraphs, an .xlsx's shared strings
    # and the values of its cells that are not strings.
    python3 - "$f" >"$out/$base.want.txt" <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = z.namelist()
def text(xml):
    return re.sub(r"<[^>]+>", " ", xml)
if "word/document.xml" in names:
    xml = z.read("word/document.xml").decode("utf-8")
    print(" ".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", xml)))
else:
    if "xl/sharedStrings.xml" in names:
        print(text(z.read("xl/sharedStrings.xml").decode("utf-8")))
    for n in sorted(names):
        if n.startswith("xl/worksheets/sheet"):
            xml = z.read(n).decode("utf-8")
            for attrs, value in re.findall(r"<c([^>]*)><v>([^<]*)</v></c>", xml):
                if 't="s"' not in attrs:
                    print(value)
PY
    want=$(numbers "$out/$base.want.txt")
    libreoffice -env:UserInstallation="file://$out/profile" --headless \
      --convert-to pdf --outdir "$out" "$f" >/dev/null 2>&1
    if [ ! -s "$out/$stem.pdf" ]; then
      echo "FAIL $base: LibreOffice produced no PDF" >&2
      status=1
      continue
    fi
    pdftotext "$out/$stem.pdf" "$out/$stem.txt"
    missing=$(
      awk 'NR == FNR { need[$1]++; next } { have[$1]++ }
           END { for (v in need) if (have[v] < need[v]) printf "%s (want %d, found %d)\n", v + 0, need[v], have[v] }' \
        <(echo "$want") <(numbers "$out/$stem.txt")
    )
    count=$(echo "$want" | grep -c . || true)
    if [ -n "$missing" ]; then
      echo "FAIL $base: numbers missing from the PDF LibreOffice made:" >&2
      echo "$missing" >&2
      status=1
    else
      pages=$(pdfinfo "$out/$stem.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
      echo "ok   $base: all $count numbers of the file are in the PDF (${pages:-?} pages)"
    fi
    if [ "$keep" = 1 ] && command -v pdftoppm >/dev/null 2>&1; then
      pdftoppm -png -r 60 "$out/$stem.pdf" "$out/$stem"
    fi
  done
  [ "$keep" = 1 ] && echo "output kept in $out"
  exit $status
fi
if [ ! -f "$json" ]; then
  echo "check-office-output: no such report: $json" >&2
  exit 2
fi

out=$(mktemp -d "${TMPDIR:-/tmp}/gongkai-office.XXXXXX")
if [ "$keep" = 0 ]; then
  trap 'rm -rf "$out"' EXIT
fi

# Render with `gongkai report render` when the binary has it, else with the example binary.
render() {
  if cargo run -q -p gongkai -- report render --help >/dev/null 2>&1; then
    cargo run -q -p gongkai -- report render "$1" --output "$2"
  else
    cargo run -q -p gongkai-report --example render -- "$1" "$2"
  fi
}


status=0
# The report's numbers: everything but its year and format id.
sed -E 's/"(year|format)"[[:space:]]*:[[:space:]]*"?[0-9]+"?//g' "$json" >"$out/want.json"
want=$(numbers "$out/want.json")
for ext in docx xlsx; do
  render "$json" "$out/report.$ext"
  # A private profile: a user's running LibreOffice (or another check) cannot block this one.
  libreoffice -env:UserInstallation="file://$out/profile" --headless \
    --convert-to pdf --outdir "$out" "$out/report.$ext" >/dev/null 2>&1
  if [ ! -s "$out/report.pdf" ]; then
    echo "FAIL $ext: LibreOffice produced no PDF" >&2
    status=1
    continue
  fi
  mv "$out/report.pdf" "$out/$ext.pdf"
  pdftotext "$out/$ext.pdf" "$out/$ext.txt"
  missing=$(
    awk 'NR == FNR { need[$1]++; next } { have[$1]++ }
         END { for (v in need) if (have[v] < need[v]) printf "%s (want %d, found %d)\n", v + 0, need[v], have[v] }' \
      <(echo "$want") <(numbers "$out/$ext.txt")
  )
  if [ -n "$missing" ]; then
    echo "FAIL $ext: numbers missing from the PDF LibreOffice made:" >&2
    echo "$missing" >&2
    status=1
  else
    pages=$(pdfinfo "$out/$ext.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
    echo "ok   $ext: every number of $(basename "$json") is in the PDF (${pages:-?} pages)"
  fi
  if [ "$keep" = 1 ] && command -v pdftoppm >/dev/null 2>&1; then
    pdftoppm -png -r 60 "$out/$ext.pdf" "$out/$ext"
  fi
done
# The 政府网站工作年度报表 (issue 16.5): the unit test writes a sample form as DOCX and XLSX
# with the numbers it must show; every one must survive LibreOffice's reading.
GONGKAI_SHEET_OUT="$out" cargo test -q -p gongkai-web --lib \
  site_report::tests::every_field_has_its_unit_and_missing_records_show_a_dash >/dev/null
want=$(numbers "$out/site-report.numbers")
for ext in docx xlsx; do
  libreoffice -env:UserInstallation="file://$out/profile" --headless \
    --convert-to pdf --outdir "$out" "$out/site-report.$ext" >/dev/null 2>&1
  if [ ! -s "$out/site-report.pdf" ]; then
    echo "FAIL site-report $ext: LibreOffice produced no PDF" >&2
    status=1
    continue
  fi
  mv "$out/site-report.pdf" "$out/site-report-$ext.pdf"
  pdftotext "$out/site-report-$ext.pdf" "$out/site-report-$ext.txt"
  missing=$(
    awk 'NR == FNR { need[$1]++; next } { have[$1]++ }
         END { for (v in need) if (have[v] < need[v]) printf "%s (want %d, found %d)\n", v + 0, need[v], have[v] }' \
      <(echo "$want") <(numbers "$out/site-report-$ext.txt")
  )
  if [ -n "$missing" ]; then
    echo "FAIL site-report $ext: numbers missing from the PDF LibreOffice made:" >&2
    echo "$missing" >&2
    status=1
  elif ! grep -q "政府网站工作年度报表" "$out/site-report-$ext.txt"; then
    echo "FAIL site-report $ext: the title is not in the PDF" >&2
    status=1
  else
    echo "ok   site-report $ext: the form's title and every number are in the PDF"
  fi
  if [ "$keep" = 1 ] && command -v pdftoppm >/dev/null 2>&1; then
    pdftoppm -png -r 60 "$out/site-report-$ext.pdf" "$out/site-report-$ext"
  fi
done
if [ "$keep" = 1 ]; then
  echo "output kept in $out"
fi
exit $status
