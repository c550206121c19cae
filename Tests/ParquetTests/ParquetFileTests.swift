import Foundation
import Parquet
import StreamTestSupport
import Testing

/// Files written here are read back by independent readers, pyarrow and DuckDB
/// (`scripts/parquet-read.py`, from the venv `scripts/parquet-readers.sh` makes).
@Suite(
    "Parquet files read by pyarrow and DuckDB",
    .enabled(
        if: ProcessInfo.processInfo.environment["PARQUET_READER_PYTHON"] != nil,
        "set PARQUET_READER_PYTHON (scripts/test.sh runs scripts/parquet-readers.sh and sets it)"))
struct ParquetFileTests {
    static let tweets = ParquetSchema([
        .init("id", .int64),
        .init("created_at", .timestampMillis, optional: true),
        .init("author", .string),
        .init("text", .string),
        .init("lang", .string, optional: true),
        .init("is_retweet", .boolean),
        .init("score", .double, optional: true),
        .init("hashtags", .list(.string), optional: true),
    ])

    static let rows: [[ParquetValue]] = [
        [
            .int64(1), .timestampMillis(1_715_624_525_869), .string("ana"), .string("Spark + Swift #swift #spark"), .string("en"),
            .boolean(false), .double(0.4404), .list([.string("swift"), .string("spark")]),
        ],
        [
            .int64(Int64.max), .null, .string("bob"), .string("été à Zürich 🚀, \"quoted\"\nnewline"), .null,
            .boolean(true), .double(-0.0), .list([]),
        ],
        [
            .int64(Int64.min), .timestampMillis(-1), .string(""), .string(""), .string("fr"),
            .boolean(false), .null, .null,
        ],
        [
            .int64(0), .timestampMillis(0), .string("ana"), .string("\u{0}control\u{1F}"), .string("en"),
            .boolean(true), .double(1e308), .list([.string("ünïcode"), .string(""), .string("swift")]),
        ],
    ]

    @Test(arguments: [ParquetCompression.gzip(), .uncompressed])
    func everyTypeNullsAndListsReadBackAsWritten(compression: ParquetCompression) throws {
        let read = try write(Self.rows, schema: Self.tweets, compression: compression)
        #expect(
            read.schema == [
                "id": "int64", "created_at": "timestamp[ms, tz=UTC]", "author": "string", "text": "string", "lang": "string",
                "is_retweet": "bool", "score": "double", "hashtags": "list<element: string not null>",
            ])
        #expect(
            read.nullable == [
                "id": false, "created_at": true, "author": false, "text": false, "lang": true,
                "is_retweet": false, "score": true, "hashtags": true,
            ])
        #expect(read.rows == Self.rows.map(Self.expected))
        #expect(read.duckdbRows == read.rows, "DuckDB reads the same values")
    }

    @Test func statisticsGiveMinimumMaximumAndNulls() throws {
        let read = try write(Self.rows, schema: Self.tweets, compression: .gzip())
        let stats = read.statistics
        #expect(stats["id"]?.first?.min == .integer(Int64.min) && stats["id"]?.first?.max == .integer(Int64.max))
        #expect(stats["id"]?.first?.nullCount == 0)
        #expect(
            stats["created_at"]?.first?.min == .timestamp(-1) && stats["created_at"]?.first?.max == .timestamp(1_715_624_525_869))
        #expect(stats["created_at"]?.first?.nullCount == 1)
        #expect(stats["author"]?.first?.min == .text("") && stats["author"]?.first?.max == .text("bob"))
        #expect(stats["score"]?.first?.min == .number(-0.0) && stats["score"]?.first?.max == .number(1e308))
        #expect(stats["score"]?.first?.nullCount == 1)
        #expect(
            stats["hashtags.list.element"]?.first?.min == .text("")
                && stats["hashtags.list.element"]?.first?.max == .text("ünïcode"))
    }

    @Test func rowGroupsAndPagesAreCutBySizeAndRepeatedTextUsesADictionary() throws {
        let rows: [[ParquetValue]] = (0..<5000).map { (i: Int) -> [ParquetValue] in
            let lang: ParquetValue = i % 3 == 0 ? .null : .string(["en", "fr", "de"][i % 3])
            let tags: [ParquetValue] = (0..<(i % 4)).map { ParquetValue.string("tag\($0)") }
            let hashtags: ParquetValue = i % 5 == 0 ? .null : .list(tags)
            return [
                .int64(Int64(i)), .timestampMillis(Int64(i) * 1000), .string("user\(i % 7)"), .string("text number \(i)"),
                lang, .boolean(i % 2 == 0), .double(Double(i) / 7), hashtags,
            ]
        }
        let read = try write(rows, schema: Self.tweets, compression: .gzip(), rowGroupBytes: 64 << 10, pageBytes: 4 << 10)
        #expect(read.rowGroups > 1)
        #expect(firstDifference(read.rows, rows.map(Self.expected)) == nil)
        #expect(read.duckdbRows == read.rows)
        #expect(read.statistics["author"]?.allSatisfy { $0.encodings.contains("RLE_DICTIONARY") } == true)
        #expect(
            read.statistics["text"]?.allSatisfy { !$0.encodings.contains("RLE_DICTIONARY") } == true,
            "a column of distinct values stays PLAIN")
    }

    @Test func randomSchemasAndRowsReadBack() throws {
        var random = SplitMix(seed: 2026)
        for _ in 0..<12 {
            let columns = (0..<random.next(upTo: 6) + 1).map { i in
                ParquetSchema.Column(
                    "c\(i)", Self.types[random.next(upTo: Self.types.count)], optional: random.next(upTo: 2) == 0)
            }
            let schema = ParquetSchema(columns)
            let rows = (0..<random.next(upTo: 3000)).map { _ in columns.map { random.value(for: $0) } }
            let read = try write(
                rows, schema: schema, compression: random.next(upTo: 2) == 0 ? .gzip() : .uncompressed,
                rowGroupBytes: 1 << random.next(upTo: 20) + 1024, pageBytes: 1 << random.next(upTo: 16) + 64)
            #expect(firstDifference(read.rows, rows.map(Self.expected)) == nil, "schema \(columns)")
            #expect(read.duckdbRows == read.rows)
        }
    }

    @Test func aRowThatDoesNotFitIsRefusedWhole() throws {
        let path = temporaryPath()
        let writer = try ParquetWriter(path: path, schema: Self.tweets)
        #expect(throws: ParquetSchemaError.self) { try writer.write([.null] + Self.rows[0].dropFirst()) }
        #expect(throws: ParquetSchemaError.self) { try writer.write(Array(Self.rows[0].dropLast())) }
        try writer.write(Self.rows[0])
        try writer.close()
        #expect(try read(path).rows == [Self.expected(Self.rows[0])], "only the row that fits was written")
    }

    // MARK: - Helpers

    static let types: [ParquetSchema.ColumnType] = [
        .boolean, .int64, .double, .string, .timestampMillis, .list(.string), .list(.int64),
    ]

    /// How the reader script prints a written cell.
    static func expected(_ row: [ParquetValue]) -> [JSONCell] { row.map(JSONCell.init) }

    struct Read {
        var schema: [String: String]
        var nullable: [String: Bool]
        var rows: [[JSONCell]]
        var duckdbRows: [[JSONCell]]
        var rowGroups: Int
        var statistics: [String: [ColumnStatistics]]
    }

    struct ColumnStatistics {
        var nullCount: Int?
        var min: JSONCell?
        var max: JSONCell?
        var encodings: [String]
    }

    private func write(
        _ rows: [[ParquetValue]], schema: ParquetSchema, compression: ParquetCompression,
        rowGroupBytes: Int = 64 << 20, pageBytes: Int = 1 << 20
    ) throws -> Read {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try ParquetWriter(
            path: path, schema: schema, compression: compression, rowGroupBytes: rowGroupBytes, pageBytes: pageBytes)
        for row in rows { try writer.write(row) }
        try writer.close()
        return try read(path)
    }

    private func read(_ path: String) throws -> Read {
        let json = try JSONSerialization.jsonObject(with: try runReader("file", path)) as! [String: Any]
        let statistics = (json["statistics"] as! [String: [[String: Any]]]).mapValues { groups in
            groups.map { group in
                ColumnStatistics(
                    nullCount: group["null_count"] as? Int, min: group["min"].map(JSONCell.init(json:)),
                    max: group["max"].map(JSONCell.init(json:)), encodings: group["encodings"] as! [String])
            }
        }
        return Read(
            schema: json["schema"] as! [String: String], nullable: json["nullable"] as! [String: Bool],
            rows: (json["rows"] as! [[Any]]).map { $0.map(JSONCell.init(json:)) },
            duckdbRows: (json["duckdb_rows"] as! [[Any]]).map { $0.map(JSONCell.init(json:)) },
            rowGroups: json["row_groups"] as! Int, statistics: statistics)
    }
}

/// A cell as the reader script prints it, and as a written value should come back.
enum JSONCell: Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case text(String)
    case timestamp(Int64)
    case list([JSONCell])

    init(_ value: ParquetValue) {
        switch value {
        case .null: self = .null
        case .boolean(let flag): self = .bool(flag)
        case .int64(let number): self = .integer(number)
        case .double(let number): self = number.isNaN ? .text("NaN") : .number(number)
        case .string(let text): self = .text(text)
        case .timestampMillis(let ms): self = .timestamp(ms)
        case .list(let items): self = .list(items.map(JSONCell.init))
        }
    }

    init(json: Any) {
        switch json {
        case is NSNull: self = .null
        case let number as NSNumber:
            switch String(cString: number.objCType) {
            case "c", "B": self = .bool(number.boolValue)
            case "d", "f": self = .number(number.doubleValue)
            default: self = .integer(number.int64Value)
            }
        case let text as String: self = .text(text)
        case let items as [Any]: self = .list(items.map(JSONCell.init(json:)))
        case let object as [String: Any]:
            if let digits = object["int"] as? String {
                self = .integer(Int64(digits)!)
            } else if let text = object["float"] as? String {
                self = text == "nan" ? .text("NaN") : .number(Double(text.replacingOccurrences(of: "inf", with: "infinity"))!)
            } else {
                self = .timestamp((object["ms"] as! NSNumber).int64Value)
            }
        default: self = .text("\(json)")
        }
    }

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let flag): "\(flag)"
        case .integer(let number): "\(number)"
        case .number(let number): "\(number)"
        case .text(let text): "\"\(text)\""
        case .timestamp(let ms): "ts(\(ms))"
        case .list(let items): "\(items)"
        }
    }
}

/// Reproducible random values: every type, nulls, empty lists, unicode and extreme numbers.
extension SplitMix {
    mutating func value(for column: ParquetSchema.Column) -> ParquetValue {
        if column.optional && next(upTo: 5) == 0 { return .null }
        return value(of: column.type)
    }

    mutating func value(of type: ParquetSchema.ColumnType) -> ParquetValue {
        switch type {
        case .boolean: return .boolean(next(upTo: 2) == 0)
        case .int64: return .int64([Int64.min, Int64.max, 0, -1, Int64(bitPattern: next())][next(upTo: 5)])
        case .double:
            // JSON carries 17 significant digits: every finite double survives the round trip.
            return .double(
                [0, -0.0, 1e308, -1e-308, Double.leastNonzeroMagnitude, Double(Int64(bitPattern: next())) / 1e6][next(upTo: 6)])
        case .string:
            let pieces = ["", "a", "swift", "é", "日本語", "🚀", " ", "\"", "\\", "\n", "#tag", "\u{7F}"]
            return .string((0..<next(upTo: 6)).map { _ in pieces[next(upTo: pieces.count)] }.joined())
        case .timestampMillis:
            // Within what Python's datetime represents (years 1–9999).
            return .timestampMillis(Int64(next(upTo: 250_000_000_000_000)) - 62_000_000_000_000)
        case .list(let element): return .list((0..<next(upTo: 5)).map { _ in value(of: element) })
        }
    }
}

/// The first row where two readings differ, with both versions (nil when they agree).
func firstDifference(_ got: [[JSONCell]], _ expected: [[JSONCell]]) -> String? {
    guard got.count == expected.count else { return "\(got.count) rows instead of \(expected.count)" }
    guard let i = got.indices.first(where: { got[$0] != expected[$0] }) else { return nil }
    return "row \(i): got \(got[i]), expected \(expected[i])"
}

func temporaryPath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("parquet-test-\(UUID().uuidString).parquet").path
}

/// Runs `scripts/parquet-read.py KIND PATH` with the readers' Python; its stdout.
func runReader(_ kind: String, _ path: String) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.environment["PARQUET_READER_PYTHON"]!)
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("scripts/parquet-read.py").path
    process.arguments = [script, kind, path]
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let message = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw ReaderFailure(description: "parquet-read.py \(kind) failed: \(String(decoding: message, as: UTF8.self))")
    }
    return data
}

struct ReaderFailure: Error, CustomStringConvertible {
    let description: String
}
