import Foundation
import Locking
import Parquet

/// A Delta Lake table: Parquet files plus `_delta_log/`, one JSON commit per version
/// (protocol, metaData, add, remove, txn, commitInfo actions, as the Delta protocol defines).
///
/// Commits are atomic: version N's file is created only if absent, so of two writers one wins
/// and the other commits as N+1. Streaming appends are idempotent: an append carries Delta's
/// `txn` action (an application id and a batch number), and a batch the log already holds for
/// that application is skipped, so a batch retried after a crash never lands twice.
///
/// ```swift
/// let table = DeltaTable(storage: LocalStorage(root: "lake/silver/tweets"))
/// try table.create(schema: schema, partitionColumns: ["date"])
/// try table.append(rows, transaction: .init(application: "lake-ingest", batch: 42))
/// ```
public final class DeltaTable: Sendable {
    /// A streaming writer's batch: `application` names the writer, `batch` increases.
    public struct Transaction: Sendable, Hashable {
        public let application: String
        public let batch: Int64

        /// Batch `batch` of the writer `application`.
        public init(application: String, batch: Int64) {
            self.application = application
            self.batch = batch
        }
    }

    /// The table's files, read from the log at one version.
    public struct Snapshot: Sendable {
        /// The version read.
        public let version: Int
        /// The data columns and the partition columns.
        public let schema: ParquetSchema
        /// Columns whose values name directories instead of being stored in the files.
        public let partitionColumns: [String]
        /// Live data files (added and not removed): path → size in bytes and row count.
        public let files: [String: (size: Int, rows: Int)]
        /// The last batch committed by each application.
        public let transactions: [String: Int64]
        /// Files removed from the table, with when (milliseconds since the epoch).
        public let removedFiles: [String: Int64]
        /// Each live file's partition values, as the log holds them.
        let partitionValues: [String: [String: String]]
    }

    /// Where the table's files are.
    public let storage: any TableStorage
    /// Rows per row group written, by buffered bytes (see `ParquetWriter`).
    public let rowGroupBytes: Int
    private let lastSnapshot = Locked<Snapshot?>(nil)

    /// The table stored in `storage` (which may not exist yet: see `create`).
    public init(storage: any TableStorage, rowGroupBytes: Int = 64 << 20) {
        self.storage = storage
        self.rowGroupBytes = rowGroupBytes
    }

    /// Creates the table (version 0) unless it exists; an existing table must have this schema.
    /// - Throws: `DeltaError` if the table exists with another schema or partitioning.
    public func create(schema: ParquetSchema, partitionColumns: [String] = []) throws {
        for name in partitionColumns {
            guard let column = schema.columns.first(where: { $0.name == name }), !column.type.isListType else {
                throw DeltaError(description: "partition column \(name) must be a flat column of the schema")
            }
        }
        if let existing = try snapshot() {
            guard existing.schema == schema, existing.partitionColumns == partitionColumns else {
                throw DeltaError(description: "the table at \(storage) exists with another schema or partitioning")
            }
            return
        }
        let actions = [
            #"{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}"#,
            DeltaLog.metadata(schema: schema, partitionColumns: partitionColumns),
            DeltaLog.commitInfo(operation: "CREATE TABLE", parameters: [:]),
        ]
        guard try storage.createIfAbsent(DeltaLog.commitPath(0), bytes: Array((actions.joined(separator: "\n") + "\n").utf8))
        else {
            return try create(schema: schema, partitionColumns: partitionColumns)  // another writer created it: check it
        }
    }

    /// The table as of its latest version; nil when it does not exist. Only the commits made
    /// since the previous call are read (a streaming writer asks every batch).
    public func snapshot() throws -> Snapshot? {
        let latest = try DeltaLog(storage: storage).replay(after: lastSnapshot.withLock { $0 })
        lastSnapshot.withLock { $0 = latest }
        return latest
    }

    /// Appends `rows` (values in schema order) as new files in one commit.
    /// - Returns: the version committed; nil when `transaction` was committed before (nothing is written).
    /// - Throws: `ParquetSchemaError` for rows that do not fit (nothing is committed), `DeltaError`
    ///   for a table that does not exist.
    @discardableResult
    public func append(_ rows: [[ParquetValue]], transaction: Transaction? = nil) throws -> Int? {
        try commit(rows, transactions: transaction.map { [$0] } ?? [], replacing: false)
    }

    /// Appends `rows` with several `txn` actions in the same commit, e.g. the last Kafka offset
    /// of each partition the rows come from; skipped when the log already holds every one.
    @discardableResult
    public func append(_ rows: [[ParquetValue]], transactions: [Transaction]) throws -> Int? {
        try commit(rows, transactions: transactions, replacing: false)
    }

    /// Replaces the table's rows with `rows` in one commit (the old files are removed from the
    /// table, not from the disk): what a streaming aggregate in complete mode writes each batch.
    /// - Returns: the version committed; nil when `transaction` was committed before.
    @discardableResult
    public func overwrite(_ rows: [[ParquetValue]], transaction: Transaction? = nil) throws -> Int? {
        try commit(rows, transactions: transaction.map { [$0] } ?? [], replacing: true)
    }

    private func commit(_ rows: [[ParquetValue]], transactions: [Transaction], replacing: Bool) throws -> Int? {
        guard var snapshot = try snapshot() else { throw DeltaError(description: "no table at \(storage): create it first") }
        func alreadyCommitted(_ snapshot: Snapshot) -> Bool {
            !transactions.isEmpty && transactions.allSatisfy { ($0.batch <= snapshot.transactions[$0.application] ?? Int64.min) }
        }
        if alreadyCommitted(snapshot) { return nil }
        let added = try writeFiles(rows, snapshot: snapshot)
        while true {
            var actions = transactions.map(DeltaLog.transaction)
            if replacing { actions += snapshot.files.keys.sorted().map { DeltaLog.remove($0) } }
            actions += added.map { DeltaLog.add($0) }
            actions.append(
                DeltaLog.commitInfo(
                    operation: transactions.isEmpty ? "WRITE" : "STREAMING UPDATE",
                    parameters: ["mode": replacing ? "Complete" : "Append", "rows": "\(rows.count)"]))
            let version = snapshot.version + 1
            if try storage.createIfAbsent(
                DeltaLog.commitPath(version), bytes: Array((actions.joined(separator: "\n") + "\n").utf8))
            {
                return version
            }
            // Another writer took this version: appends do not conflict, unless it committed our batch.
            snapshot = try self.snapshot()!
            if alreadyCommitted(snapshot) {
                for file in added { try? storage.remove(file.path) }
                return nil
            }
        }
    }

    /// Deletes data files that no longer belong to the table: removed by a commit more than
    /// `retention` ago, or never committed (left by a writer that crashed) and older than
    /// `retention`. Versions older than `retention` can no longer be read in full afterwards.
    /// - Returns: the paths deleted.
    @discardableResult
    public func vacuum(retention: Duration) throws -> [String] {
        guard let snapshot = try snapshot() else { throw DeltaError(description: "no table at \(storage)") }
        let cutoff = Date().addingTimeInterval(
            -Double(retention.components.seconds) - Double(retention.components.attoseconds) / 1e18)
        var deleted: [String] = []
        for file in try storage.allFiles() where !file.path.hasPrefix("_delta_log/") && snapshot.files[file.path] == nil {
            let removedAt = snapshot.removedFiles[file.path].map { Date(timeIntervalSince1970: Double($0) / 1000) }
            guard (removedAt ?? file.modified) <= cutoff else { continue }
            try storage.remove(file.path)
            deleted.append(file.path)
        }
        return deleted.sorted()
    }

    /// Writes the rows' Parquet files, one per partition.
    private func writeFiles(_ rows: [[ParquetValue]], snapshot: Snapshot) throws -> [DeltaLog.AddedFile] {
        let partitionIndices = snapshot.partitionColumns.map { name in snapshot.schema.columns.firstIndex { $0.name == name }! }
        let dataIndices = snapshot.schema.columns.indices.filter { !partitionIndices.contains($0) }
        var groups: [[String]: [[ParquetValue]]] = [:]
        var order: [[String]] = []
        for row in rows {
            guard row.count == snapshot.schema.columns.count else {
                throw ParquetSchemaError(description: "a row of \(row.count) values for \(snapshot.schema.columns.count) columns")
            }
            let key = try partitionIndices.map { try DeltaLog.partitionValue(row[$0], column: snapshot.schema.columns[$0].name) }
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(dataIndices.map { row[$0] })
        }
        return try order.enumerated().map { index, key in
            let rows = groups[key]!
            return try writeFile(
                snapshot: snapshot, partitionValues: Dictionary(uniqueKeysWithValues: zip(snapshot.partitionColumns, key)),
                index: index
            ) { writer in
                for row in rows { try writer.write(row) }
                return rows.count
            }
        }
    }

    /// Writes one Parquet file of rows of the data columns, in its partition's directory:
    /// `fill` writes the rows (streaming them if it likes) and returns how many it wrote.
    func writeFile(
        snapshot: Snapshot, partitionValues: [String: String], index: Int, _ fill: (ParquetWriter) throws -> Int
    ) throws -> DeltaLog.AddedFile {
        let directory = snapshot.partitionColumns.map { "\($0)=\(DeltaLog.escapedPathPart(partitionValues[$0] ?? ""))" }
            .joined(separator: "/")
        let name = "part-\(String(format: "%05d", index))-\(UUID().uuidString.lowercased()).c000.gz.parquet"
        let path = directory.isEmpty ? name : directory + "/" + name
        var rows = 0
        let size = try storage.writeFile(at: path) { local in
            let writer = try ParquetWriter(
                path: local, schema: snapshot.dataSchema, compression: .gzip(), rowGroupBytes: rowGroupBytes)
            rows = try fill(writer)
            try writer.close()
        }
        return .init(path: path, partitionValues: partitionValues, size: size, rows: rows)
    }
}

extension DeltaTable.Snapshot {
    /// The columns stored in the data files: all but the partition columns.
    var dataSchema: ParquetSchema {
        ParquetSchema(schema.columns.filter { !partitionColumns.contains($0.name) })
    }
}

/// The table cannot be used as asked.
public struct DeltaError: Error, Sendable, CustomStringConvertible {
    /// Why, naming the table.
    public let description: String
}

extension ParquetSchema.ColumnType {
    var isListType: Bool {
        if case .list = self { return true }
        return false
    }
}
