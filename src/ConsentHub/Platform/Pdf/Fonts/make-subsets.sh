#!/usr/bin/env bash
# Regenerates the subset fonts with python3-fonttools (pyftsubset) from Debian's fonts-dejavu-core and
# fonts-noto-core. Run once after changing the ranges; the outputs are committed, so neither package is needed to
# build, test or run. Install them first with:  apt-get install fonts-dejavu-core fonts-noto-core python3-fonttools
#
# DejaVu Sans (Latin, Greek, Cyrillic) is the main face. Ranges: Basic Latin, Latin-1, Latin Extended-A, the
# Latin Extended-B letters names use (Vietnamese horn letters Ơ Ư, Pinyin tones, Romanian comma letters, schwa),
# spacing accents and the commonest combining accents (a name with no precomposed letter), Greek, Cyrillic
# (Russian, Ukrainian, Bulgarian, Serbian), Latin Extended Additional (Vietnamese: Đặng, Nguyễn, Thảo), punctuation, currency, arrows, ballot boxes and check marks, and U+FFFD (what a
# character outside every face is drawn as, so nothing is ever silently dropped).
#
# Fallback faces per script run, shaped with HarfBuzz: Noto Naskh Arabic (Arabic and Urdu, with the presentation
# forms so copied text reads back), Noto Sans Bengali, Noto Sans Gurmukhi (Punjabi). Each keeps the layout
# features its script needs to shape (GSUB/GPOS closure over the listed code points).
set -euo pipefail
cd "$(dirname "$0")"
dejavu=/usr/share/fonts/truetype/dejavu
noto=/usr/share/fonts/truetype/noto

latin="U+0020-007E,U+00A0-00FF,U+0100-017F,U+018F,U+01A0,U+01A1,U+01AF,U+01B0,U+01CD-01DC,U+0218-021B,U+0259,U+02BB,U+02BC,U+02C6,U+02C7,U+02D8-02DD,U+0300-0304,U+0306-0308,U+030A-030C,U+0323,U+0327,U+0328,U+0370-03FF,U+0400-045F,U+0490,U+0491,U+1E00-1EFF,U+2010-2027,U+2030,U+2039,U+203A,U+20AC,U+2116,U+2122,U+2190-2193,U+2022,U+25A1,U+25CF,U+2610-2612,U+2713,U+2714,U+2717,U+FFFD"
arabic="U+0020,U+00A0,U+060C-06FF,U+0750-077F,U+08A0-08FF,U+200C-200F,U+2010-2015,U+FB50-FDFF,U+FE70-FEFF"
bengali="U+0020,U+00A0,U+0964-0965,U+0980-09FF,U+200C-200D,U+25CC"
gurmukhi="U+0020,U+00A0,U+0964-0965,U+0A00-0A7F,U+200C-200D,U+25CC"

subset() { # source output ranges layout-features
  /usr/bin/python3 -m fontTools.subset "$1" --unicodes="$3" --output-file="$2" \
    --layout-features="$4" --name-IDs='*' --name-legacy --drop-tables+=DSIG,FFTM --no-hinting
}
for w in "" "-Bold"; do
  subset "$dejavu/DejaVuSans$w.ttf" "DejaVuSans$w.ttf" "$latin" 'kern,liga,mark,mkmk'
done
for w in Regular Bold; do
  subset "$noto/NotoNaskhArabic-$w.ttf" "NotoNaskhArabic-$w.ttf" "$arabic" '*'
  subset "$noto/NotoSansBengali-$w.ttf" "NotoSansBengali-$w.ttf" "$bengali" '*'
  subset "$noto/NotoSansGurmukhi-$w.ttf" "NotoSansGurmukhi-$w.ttf" "$gurmukhi" '*'
done
