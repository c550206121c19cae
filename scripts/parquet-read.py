"""Reads a Parquet file (or a Delta table) with independent readers and prints JSON.

usage: parquet-read.py file FILE        pyarrow: schema, rows, row groups, column statistics;
                                         DuckDB: the rows again (they must agree)
       parquet-read.py delta DIRECTORY  delta-rs: version, schema, rows (sorted by the first column)
"""
import datetime
import json
import math
import os
import sys

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def cell(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int):  # as text: JSON readers turn large integers into doubles
        return {"int": str(value)}
    if isinstance(value, float):  # as Python's shortest round-trip text: JSON number parsing may round
        return {"float": repr(value)}
    if isinstance(value, datetime.datetime):  # timestamps as exact milliseconds since the epoch
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return {"ms": (value - EPOCH) // datetime.timedelta(milliseconds=1)}
    if isinstance(value, list):
        return [cell(v) for v in value]
    return value


def arrow_rows(table):
    columns = table.column_names
    return [[cell(row[c]) for c in columns] for row in table.to_pylist()]


kind, path = sys.argv[1:3]
if kind == "file":
    import duckdb
    import pyarrow.parquet as pq

    file = pq.ParquetFile(path)
    table = file.read()
    metadata = file.metadata
    statistics = {}
    for g in range(metadata.num_row_groups):
        group = metadata.row_group(g)
        for c in range(group.num_columns):
            column = group.column(c)
            stats = column.statistics
            entry = {"null_count": stats.null_count if stats is not None else None,
                     "has_min_max": bool(stats is not None and stats.has_min_max),
                     "encodings": sorted(column.encodings), "compression": column.compression}
            if stats is not None and stats.has_min_max:
                entry["min"], entry["max"] = cell(stats.min), cell(stats.max)
            statistics.setdefault(column.path_in_schema, []).append(entry)
    connection = duckdb.connect()
    duck = connection.execute(f"SELECT * FROM read_parquet('{path}')").fetchall()
    print(json.dumps({
        "schema": {f.name: str(f.type) for f in table.schema},
        "nullable": {f.name: f.nullable for f in table.schema},
        "rows": arrow_rows(table),
        "duckdb_rows": [[cell(list(v) if isinstance(v, (list, tuple)) else v) for v in row] for row in duck],
        "row_groups": metadata.num_row_groups,
        "statistics": statistics,
        "created_by": metadata.created_by,
    }))
elif kind == "delta":
    from deltalake import DeltaTable

    table = DeltaTable(path)
    data = table.to_pyarrow_table()
    rows = sorted(arrow_rows(data), key=lambda r: json.dumps(r))
    print(json.dumps({"version": table.version(), "schema": {f.name: str(f.type) for f in data.schema}, "rows": rows}))
else:
    sys.exit(f"unknown kind {kind}")
# Skip interpreter teardown: delta-rs's threads can abort the process there ("terminate called
# without an active exception") after the answer is complete.
sys.stdout.flush()
os._exit(0)
