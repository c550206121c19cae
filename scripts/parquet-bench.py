"""pyarrow's side of parquet-bench: reads the file parquet-bench wrote and writes the same rows
with the same codec, best of N runs, at pyarrow's default gzip level and at zlib's default (6,
the level our writer uses). usage: parquet-bench.py FILE [gzip|none] [RUNS]"""
import os
import sys
import tempfile
import time

import pyarrow.parquet as pq

path = sys.argv[1]
codec = sys.argv[2] if len(sys.argv) > 2 else "gzip"
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
table = pq.read_table(path)
out = os.path.join(tempfile.mkdtemp(), "pyarrow.parquet")
for level in ([None, 6] if codec == "gzip" else [None]):
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        pq.write_table(table, out, compression=codec if codec != "none" else "NONE", compression_level=level)
        best = min(best, time.perf_counter() - start)
    size = os.path.getsize(out)
    name = "pyarrow" + ("" if level is None else f" (level {level})")
    print(f"{name}: {table.num_rows} rows in {best:.3f} s: {table.num_rows / best:.0f} rows/s, "
          f"{size / best / 1e6:.1f} MB/s of file, file {size} bytes")
