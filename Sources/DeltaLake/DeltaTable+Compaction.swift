import Foundation
import Parquet

extension DeltaTable {
    /// What `compact` did.
    public struct Compaction: Sendable, Hashable {
        /// The version committed; nil when no partition had two small files to merge.
        public let version: Int?
        /// Files the commit removed from the table (they stay on disk until `vacuum`).
        public let filesRemoved: Int
        /// Files it added.
        public let filesAdded: Int
        /// Rows rewritten.
        public let rows: Int
    }

    /// Rewrites each partition's small files (under `targetFileBytes`) into fewer, larger
    /// ones, each from up to `targetFileBytes` of small files, in one commit. The commit
    /// changes no data (its actions say `dataChange: false`, as Delta's OPTIMIZE does), so
    /// streaming readers of the table skip it; the old files stay readable by older versions
    /// until `vacuum` deletes them.
    ///
    /// A streaming writer may append at the same time (appends do not conflict); if another
    /// writer removes one of the files being compacted (a complete-mode overwrite), nothing is
    /// committed and the error says so: run it again.
    /// - Throws: `DeltaError` for a missing table or that conflict; `ParquetFormatError` for a
    ///   data file that cannot be read.
    @discardableResult
    public func compact(targetFileBytes: Int = 128 << 20) throws -> Compaction {
        guard let snapshot = try snapshot() else { throw DeltaError(description: "no table at \(storage)") }
        var smallFiles: [[String: String]: [String]] = [:]
        for (path, file) in snapshot.files where file.size < targetFileBytes {
            smallFiles[snapshot.partitionValues[path] ?? [:], default: []].append(path)
        }
        var removed: [String] = []
        var added: [DeltaLog.AddedFile] = []
        let partitions = smallFiles.keys.sorted { $0.sorted(by: <).description < $1.sorted(by: <).description }
        for partition in partitions {
            for group in Self.groups(of: smallFiles[partition]!.sorted(), upTo: targetFileBytes, sizes: snapshot.files)
            where group.count > 1 {
                // One small file's rows in memory at a time, streamed into the new file.
                let file = try writeFile(snapshot: snapshot, partitionValues: partition, index: added.count) { writer in
                    var rows = 0
                    for path in group {
                        let reader = try ParquetReader(bytes: [UInt8](try storage.read(path)), name: path)
                        for row in try reader.rows(schema: snapshot.dataSchema) { try writer.write(row) }
                        rows += reader.rowCount
                    }
                    return rows
                }
                added.append(file)
                removed += group
            }
        }
        let rows = added.reduce(0) { $0 + $1.rows }
        guard !removed.isEmpty else { return Compaction(version: nil, filesRemoved: 0, filesAdded: 0, rows: 0) }

        var current = snapshot
        while true {
            var actions = removed.map { DeltaLog.remove($0, dataChange: false) }
            actions += added.map { DeltaLog.add($0, dataChange: false) }
            actions.append(
                DeltaLog.commitInfo(
                    operation: "OPTIMIZE",
                    parameters: ["filesRemoved": "\(removed.count)", "filesAdded": "\(added.count)", "rows": "\(rows)"]))
            let version = current.version + 1
            if try storage.createIfAbsent(
                DeltaLog.commitPath(version), bytes: Array((actions.joined(separator: "\n") + "\n").utf8))
            {
                return Compaction(version: version, filesRemoved: removed.count, filesAdded: added.count, rows: rows)
            }
            current = try self.snapshot()!
            if let gone = removed.first(where: { current.files[$0] == nil }) {
                for file in added { try? storage.remove(file.path) }
                throw DeltaError(
                    description:
                        "another writer removed \(gone) while it was being compacted; nothing was committed (run compact again)")
            }
        }
    }

    /// Consecutive runs of `paths` whose sizes add up to at most `limit` (a file alone may be larger).
    private static func groups(of paths: [String], upTo limit: Int, sizes: [String: (size: Int, rows: Int)]) -> [[String]] {
        var groups: [[String]] = []
        var bytes = 0
        for path in paths {
            let size = sizes[path]?.size ?? 0
            if groups.isEmpty || (bytes + size > limit && !groups[groups.count - 1].isEmpty) {
                groups.append([])
                bytes = 0
            }
            groups[groups.count - 1].append(path)
            bytes += size
        }
        return groups
    }
}
