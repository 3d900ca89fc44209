#!/bin/sh
# No import (code or doc link) from a lower layer of lookout-core to a higher one.
# Layers, lowest first: root leaves (status, order, probe, time) -> read -> config -> board
# -> incident -> monitor -> publish. Prints each violation; exits 1 if there is any.
cd "$(dirname "$0")/src" || exit 2
layers="read config board incident monitor publish"
found=0
check() { # $1: files to scan, $2: the layers above them
    for higher in $2; do
        if grep -Hn "crate::$higher\b" $1; then found=1; fi
    done
}
check "status.rs order.rs probe.rs time.rs" "$layers"
rest="$layers"
for folder in $layers; do
    rest="${rest#"$folder"}"; rest="${rest# }"
    check "$(find "$folder" -name '*.rs')" "$rest"
done
[ "$found" = 0 ] && echo "layers: no import from a lower layer to a higher one"
exit "$found"
