"""Benchmarks of the obligations engine (issue #7): `python -m benchmarks [--quick]`. See README.md here."""
