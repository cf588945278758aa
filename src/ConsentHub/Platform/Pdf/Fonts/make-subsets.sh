#!/usr/bin/env bash
# Regenerates the subset fonts from Debian's fonts-dejavu-core with python3-fonttools. Run once after changing the
# ranges; the outputs are committed. Ranges: Basic Latin, Latin-1, Latin Extended-A, Romanian comma letters, spacing
# accents, dashes/quotes/bullet/ellipsis, per mille, angle quotes, euro, trade mark, arrows, ballot boxes, check
# marks, and U+FFFD (what a character outside these ranges is drawn as, so nothing is ever silently dropped).
set -euo pipefail
cd "$(dirname "$0")"
ranges="U+0020-007E,U+00A0-00FF,U+0100-017F,U+0218-021B,U+02C6,U+02C7,U+02D8-02DD,U+2010-2027,U+2030,U+2039,U+203A,U+20AC,U+2122,U+2190-2193,U+2022,U+25A1,U+25CF,U+2610-2612,U+2713,U+2714,U+2717,U+FFFD"
for f in DejaVuSans DejaVuSans-Bold; do
  /usr/bin/python3 -m fontTools.subset "/usr/share/fonts/truetype/dejavu/$f.ttf" --unicodes="$ranges" --output-file="$f.ttf" \
    --layout-features='kern,liga' --name-IDs='*' --name-legacy --drop-tables+=DSIG,FFTM --no-hinting
done
