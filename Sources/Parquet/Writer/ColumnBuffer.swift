/// One column's values of the row group being written: levels, values and statistics, kept
/// encoded-ready (strings as one byte buffer) until the row group is flushed.
struct ColumnBuffer {
    let column: ParquetSchema.Column
    private(set) var definitionLevels: [UInt32] = []
    private(set) var repetitionLevels: [UInt32] = []
    /// Level entries so far (one per null, empty list, value or list element), stored or not.
    private var levelCount = 0
    /// Where each row's levels and values start, to cut pages at row boundaries.
    private var rowLevelStarts: [Int] = []
    private var rowValueStarts: [Int] = []
    private var numbers: [UInt64] = []  // int64, timestamps, doubles (bit patterns), booleans (0/1)
    private var stringBytes: [UInt8] = []
    private var stringEnds: [Int] = []
    private(set) var statistics: Statistics

    init(column: ParquetSchema.Column) {
        self.column = column
        statistics = Statistics(type: column.type.leaf)
    }

    var rowCount: Int { rowLevelStarts.count }
    var valueCount: Int { column.type.leaf == .string ? stringEnds.count : numbers.count }
    /// The buffered bytes, roughly as PLAIN-encoded.
    var estimatedBytes: Int { numbers.count * 8 + stringBytes.count + stringEnds.count * 4 + definitionLevels.count }

    /// Throws unless `value` fits the column (so a row is checked whole before any cell is added).
    func check(_ value: ParquetValue) throws {
        switch (value, column.type) {
        case (.null, _):
            guard column.optional else {
                throw ParquetSchemaError(description: "column \(column.name) is not optional but got null")
            }
        case (.list(let elements), .list(let element)):
            for item in elements where !Self.fits(item, element) {
                throw ParquetSchemaError(description: "column \(column.name) holds lists of \(element), got \(item)")
            }
        default:
            guard Self.fits(value, column.type) else {
                throw ParquetSchemaError(description: "column \(column.name) holds \(column.type), got \(value)")
            }
        }
    }

    private static func fits(_ value: ParquetValue, _ type: ParquetSchema.ColumnType) -> Bool {
        switch (value, type) {
        case (.boolean, .boolean), (.int64, .int64), (.double, .double), (.string, .string),
            (.timestampMillis, .timestampMillis), (.int64, .timestampMillis):
            true
        default: false
        }
    }

    /// Adds one row's cell (checked with `check`).
    mutating func append(_ value: ParquetValue) throws {
        rowLevelStarts.append(levelCount)
        rowValueStarts.append(valueCount)
        let maxDefinition = UInt32(column.maxDefinitionLevel)
        switch (value, column.type) {
        case (.null, _):
            guard column.optional else {
                throw ParquetSchemaError(description: "column \(column.name) is not optional but got null")
            }
            level(definition: 0, repetition: 0)
            statistics.nullCount += 1
        case (.list(let elements), .list(let element)):
            if elements.isEmpty {
                level(definition: maxDefinition - 1, repetition: 0)
                statistics.nullCount += 1
            }
            for (i, item) in elements.enumerated() {
                try store(item, as: element)
                level(definition: maxDefinition, repetition: i == 0 ? 0 : 1)
            }
        case (_, .list):
            throw ParquetSchemaError(description: "column \(column.name) holds lists, got \(value)")
        default:
            try store(value, as: column.type)
            level(definition: maxDefinition, repetition: 0)
        }
    }

    private mutating func level(definition: UInt32, repetition: UInt32) {
        levelCount += 1
        if column.maxDefinitionLevel > 0 { definitionLevels.append(definition) }
        if column.maxRepetitionLevel > 0 { repetitionLevels.append(repetition) }
    }

    private mutating func store(_ value: ParquetValue, as type: ParquetSchema.ColumnType) throws {
        switch (value, type) {
        case (.boolean(let flag), .boolean): numbers.append(flag ? 1 : 0)
        case (.int64(let number), .int64), (.timestampMillis(let number), .timestampMillis),
            (.int64(let number), .timestampMillis):
            numbers.append(UInt64(bitPattern: number))
        case (.double(let number), .double): numbers.append(number.bitPattern)
        case (.string(let text), .string):
            stringBytes.append(contentsOf: text.utf8)
            stringEnds.append(stringBytes.count)
        default:
            throw ParquetSchemaError(description: "column \(column.name) holds \(type), got \(value)")
        }
        statistics.observe(value)
    }

    /// The column chunk's pages (a dictionary page first when it pays), each compressed.
    func encodePages(compression: ParquetCompression, pageBytes: Int) -> EncodedChunk {
        var chunk = EncodedChunk()
        // nil for other types, and when a dictionary would not pay.
        let dictionary = column.type.leaf == .string ? StringDictionary(bytes: stringBytes, ends: stringEnds) : nil
        if let dictionary {
            let plain = dictionary.plainValues()
            chunk.append(page: plain, kind: .dictionary(count: dictionary.count), compression: compression)
        }
        // Pages hold whole rows, up to about `pageBytes` of values each.
        var row = 0
        while row < rowCount {
            var end = row + 1
            while end < rowCount && valueBytes(rowValueStarts[row]..<rowValueStarts[end]) < pageBytes { end += 1 }
            chunk.append(
                page: dataPage(rows: row..<end, dictionary: dictionary), kind: .data(values: levelRange(row..<end).count),
                compression: compression)
            row = end
        }
        chunk.encodings =
            dictionary == nil ? [Encoding.plain, Encoding.rle] : [Encoding.plain, Encoding.rle, Encoding.rleDictionary]
        chunk.valueCount = levelCount
        return chunk
    }

    private func levelRange(_ rows: Range<Int>) -> Range<Int> {
        rowLevelStarts[rows.lowerBound]..<(rows.upperBound < rowCount ? rowLevelStarts[rows.upperBound] : levelCount)
    }

    private func valueRange(_ rows: Range<Int>) -> Range<Int> {
        rowValueStarts[rows.lowerBound]..<(rows.upperBound < rowCount ? rowValueStarts[rows.upperBound] : valueCount)
    }

    private func valueBytes(_ values: Range<Int>) -> Int {
        guard column.type.leaf == .string else { return values.count * 8 }
        let start = values.lowerBound == 0 ? 0 : stringEnds[values.lowerBound - 1]
        let end = values.isEmpty ? start : stringEnds[values.upperBound - 1]
        return end - start + values.count * 4
    }

    /// Levels (repetition then definition, each length-prefixed) and the values of `rows`.
    private func dataPage(rows: Range<Int>, dictionary: StringDictionary?) -> [UInt8] {
        var page: [UInt8] = []
        let levels = levelRange(rows)
        if column.maxRepetitionLevel > 0 {
            appendLevels(Array(repetitionLevels[levels]), maximum: column.maxRepetitionLevel, to: &page)
        }
        if column.maxDefinitionLevel > 0 {
            appendLevels(Array(definitionLevels[levels]), maximum: column.maxDefinitionLevel, to: &page)
        }
        let values = valueRange(rows)
        if let dictionary {
            let width = RLEHybrid.bitWidth(max(0, dictionary.count - 1))
            page.append(UInt8(width))
            RLEHybrid.encode(Array(dictionary.indices[values]), bitWidth: width, to: &page)
            return page
        }
        switch column.type.leaf {
        case .string:
            for i in values {
                let start = i == 0 ? 0 : stringEnds[i - 1]
                appendLength(stringEnds[i] - start, to: &page)
                page.append(contentsOf: stringBytes[start..<stringEnds[i]])
            }
        case .boolean:
            var byte: UInt8 = 0
            for (k, i) in values.enumerated() {
                byte |= UInt8(numbers[i]) << (k % 8)
                if k % 8 == 7 { page.append(byte); byte = 0 }
            }
            if values.count % 8 != 0 { page.append(byte) }
        default:
            for i in values { appendLittleEndian(numbers[i], to: &page) }
        }
        return page
    }

    private func appendLevels(_ levels: [UInt32], maximum: Int, to page: inout [UInt8]) {
        var encoded: [UInt8] = []
        RLEHybrid.encode(levels, bitWidth: RLEHybrid.bitWidth(maximum), to: &encoded)
        appendLength(encoded.count, to: &page)
        page.append(contentsOf: encoded)
    }
}

func appendLength(_ length: Int, to out: inout [UInt8]) {
    let value = UInt32(length)
    for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
}

func appendLittleEndian(_ value: UInt64, to out: inout [UInt8]) {
    for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
}

/// Parquet encoding numbers.
enum Encoding {
    static let plain: Int32 = 0
    static let rle: Int32 = 3
    static let rleDictionary: Int32 = 8
}
