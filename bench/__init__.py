"""secondview benchmarks: ``python -m bench`` (or ``make bench``) prints a table of medians.

Everything runs on generated data (``bench.data``) in a folder of its own under
``bench/.data/`` (gitignored), removed afterwards unless ``--keep``. Nothing here is imported
by the app or by the tests.
"""
