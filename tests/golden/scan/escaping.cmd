tests/golden/scan/escaping.in
