import Foundation
import Parquet

/// The `_delta_log/` directory: writing actions and replaying commits into a snapshot.
struct DeltaLog {
    let storage: any TableStorage

    struct AddedFile {
        let path: String
        let partitionValues: [String: String]
        let size: Int
        let rows: Int
    }

    static func commitPath(_ version: Int) -> String {
        "_delta_log/" + String(format: "%020d", version) + ".json"
    }

    /// Replays the commits after `base` (all of them without one), in version order, onto
    /// `base`'s state; nil when the log is empty. Commits never change once written, so
    /// replaying only the new ones gives what replaying all of them would.
    func replay(after base: DeltaTable.Snapshot? = nil) throws -> DeltaTable.Snapshot? {
        let versions = try storage.list("_delta_log").compactMap { name -> Int? in
            guard name.hasSuffix(".json"), name.count == 25 else { return nil }
            return Int(name.prefix(20))
        }.sorted()
        guard let last = versions.last else { return nil }
        guard versions == Array(0...last) else {
            throw DeltaError(description: "the log of \(storage) has gaps (versions \(versions))")
        }
        let base = base.flatMap { $0.version <= last ? $0 : nil }  // a log that shrank (a table made anew) is read whole
        if let base, base.version == last { return base }
        var schema: ParquetSchema? = base?.schema
        var partitionColumns = base?.partitionColumns ?? []
        var files = base?.files ?? [:]
        var transactions = base?.transactions ?? [:]
        var removed = base?.removedFiles ?? [:]
        var partitionValues = base?.partitionValues ?? [:]
        for version in versions where version > base?.version ?? -1 {
            let text = String(decoding: try storage.read(Self.commitPath(version)), as: UTF8.self)
            for line in text.split(separator: "\n") where !line.isEmpty {
                guard let action = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                    throw DeltaError(description: "commit \(version) of \(storage) holds a line that is not a JSON object")
                }
                if let metadata = action["metaData"] as? [String: Any] {
                    schema = try Self.schema(fromJSON: metadata["schemaString"] as? String ?? "")
                    partitionColumns = metadata["partitionColumns"] as? [String] ?? []
                }
                if let add = action["add"] as? [String: Any], let path = add["path"] as? String {
                    let stats = (add["stats"] as? String).flatMap {
                        try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
                    }
                    files[Self.unescaped(path)] = ((add["size"] as? Int) ?? 0, (stats?["numRecords"] as? Int) ?? 0)
                    partitionValues[Self.unescaped(path)] = add["partitionValues"] as? [String: String] ?? [:]
                    removed[Self.unescaped(path)] = nil
                }
                if let remove = action["remove"] as? [String: Any], let path = remove["path"] as? String {
                    files[Self.unescaped(path)] = nil
                    partitionValues[Self.unescaped(path)] = nil
                    removed[Self.unescaped(path)] = (remove["deletionTimestamp"] as? NSNumber)?.int64Value ?? 0
                }
                if let txn = action["txn"] as? [String: Any], let application = txn["appId"] as? String,
                    let batch = (txn["version"] as? NSNumber)?.int64Value
                {
                    transactions[application] = max(transactions[application] ?? batch, batch)
                }
            }
        }
        guard let schema else { throw DeltaError(description: "the log of \(storage) has no metaData action") }
        return .init(
            version: last, schema: schema, partitionColumns: partitionColumns, files: files, transactions: transactions,
            removedFiles: removed, partitionValues: partitionValues)
    }

    // MARK: Actions

    static func metadata(schema: ParquetSchema, partitionColumns: [String]) -> String {
        let fields = schema.columns.map { column -> [String: Any] in
            ["name": column.name, "type": typeJSON(column.type), "nullable": column.optional, "metadata": [String: Any]()]
        }
        return action(
            "metaData",
            [
                "id": UUID().uuidString.lowercased(), "format": ["provider": "parquet", "options": [String: Any]()],
                "schemaString": text(["type": "struct", "fields": fields]), "partitionColumns": partitionColumns,
                "configuration": [String: Any](), "createdTime": now(),
            ])
    }

    static func transaction(_ transaction: DeltaTable.Transaction) -> String {
        action("txn", ["appId": transaction.application, "version": transaction.batch, "lastUpdated": now()])
    }

    /// `dataChange: false` marks a rearrangement of rows already in the table (compaction),
    /// which streaming readers of the table skip.
    static func add(_ file: AddedFile, dataChange: Bool = true) -> String {
        action(
            "add",
            [
                "path": escapedPath(file.path), "partitionValues": file.partitionValues, "size": file.size,
                "modificationTime": now(), "dataChange": dataChange, "stats": text(["numRecords": file.rows]),
            ])
    }

    static func remove(_ path: String, dataChange: Bool = true) -> String {
        action("remove", ["path": escapedPath(path), "deletionTimestamp": now(), "dataChange": dataChange])
    }

    static func commitInfo(operation: String, parameters: [String: String]) -> String {
        action(
            "commitInfo",
            [
                "timestamp": now(), "operation": operation, "operationParameters": parameters, "engineInfo": "swift-streaming",
            ])
    }

    /// One line of a commit: `{"name": body}`.
    private static func action(_ name: String, _ body: [String: Any]) -> String {
        text([name: body])
    }

    /// Compact JSON with sorted keys (so commits are reproducible to read).
    private static func text(_ object: [String: Any]) -> String {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: Partition values and paths

    /// A partition value as Delta serializes it (text; null as null is not supported here).
    static func partitionValue(_ value: ParquetValue, column: String) throws -> String {
        switch value {
        case .string(let text): return text
        case .int64(let number): return String(number)
        case .boolean(let flag): return String(flag)
        case .double(let number): return String(number)
        case .timestampMillis(let ms): return String(ms)
        case .null, .list: throw DeltaError(description: "partition column \(column) needs a value, got \(value)")
        }
    }

    /// A partition value as a directory name part (Hive's escaping of `/`, `=`, `%` and controls).
    static func escapedPathPart(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || "/=%\\:#?*\"<>|{}[]^".unicodeScalars.contains(scalar) {
                out += String(format: "%%%02X", scalar.value)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `add.path` is a URI path: the `%` of escaped names is escaped again.
    static func escapedPath(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "%"))) ?? path
    }

    static func unescaped(_ path: String) -> String {
        path.removingPercentEncoding ?? path
    }

    // MARK: Schema

    static func typeJSON(_ type: ParquetSchema.ColumnType) -> Any {
        switch type {
        case .boolean: "boolean"
        case .int64: "long"
        case .double: "double"
        case .string: "string"
        case .timestampMillis: "timestamp"
        case .list(let element): ["type": "array", "elementType": typeJSON(element), "containsNull": false] as [String: Any]
        }
    }

    static func schema(fromJSON text: String) throws -> ParquetSchema {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let fields = object["fields"] as? [[String: Any]]
        else {
            throw DeltaError(description: "the table's schemaString is not a struct type")
        }
        return ParquetSchema(
            try fields.map { field in
                guard let name = field["name"] as? String, let type = try type(fromJSON: field["type"] as Any) else {
                    throw DeltaError(description: "unsupported column in the table's schema: \(field)")
                }
                return .init(name, type, optional: field["nullable"] as? Bool ?? true)
            })
    }

    private static func type(fromJSON value: Any) throws -> ParquetSchema.ColumnType? {
        switch value {
        case let name as String:
            return ["boolean": .boolean, "long": .int64, "double": .double, "string": .string, "timestamp": .timestampMillis][
                name]
        case let object as [String: Any] where object["type"] as? String == "array":
            return try type(fromJSON: object["elementType"] as Any).map { .list($0) }
        default:
            return nil
        }
    }

    private static func now() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000)
    }
}
