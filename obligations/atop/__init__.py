"""ATOP 5.1, the field's alliance data: import it as clause files, export the engine's obligations in its
directed dyad-year shape, and compare the two.

data.py reads the files; rule.py is ATOP's own rule for its directed table (CODEBOOK-NOTES §0), the oracle
the round trip is checked against; importer.py writes clause files; export.py derives dyad-years from any
corpus with the engine's semantics; compare.py sets the engine's against ATOP's, alliance by alliance.
"""
