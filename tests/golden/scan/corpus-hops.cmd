tests/golden/scan/corpus-hops.mbox.in
