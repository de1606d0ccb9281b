"""Benchmarks for lessonkit: render speed against the encoder's floor and a naive scene.

Not part of the product. `python benchmarks/run.py` (or `make bench`) measures every case in
its own child process; `python benchmarks/profile_render.py` profiles the reference clip.
See benchmarks/README.md.
"""
