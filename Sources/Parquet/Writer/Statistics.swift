/// A column chunk's minimum, maximum and null count, in the type's defined order (signed for
/// integers and timestamps, IEEE for doubles without NaN, unsigned bytes for strings).
struct Statistics {
    let type: ParquetSchema.ColumnType
    /// Nulls, and for lists also null and empty lists (the levels with no value).
    var nullCount: Int64 = 0
    private var minimum: ParquetValue?
    private var maximum: ParquetValue?

    init(type: ParquetSchema.ColumnType) {
        self.type = type
    }

    mutating func observe(_ value: ParquetValue) {
        if case .double(let number) = value, number.isNaN { return }  // NaN has no place in the order
        if minimum.map({ Self.precedes(value, $0) }) ?? true { minimum = value }
        if maximum.map({ Self.precedes($0, value) }) ?? true { maximum = value }
    }

    /// PLAIN bytes of the minimum and maximum (without a length for strings); nil when no value.
    var encodedBounds: (min: [UInt8], max: [UInt8])? {
        guard var low = minimum, var high = maximum else { return nil }
        // The format's advice for doubles: a zero minimum is written -0.0, a zero maximum +0.0.
        if case .double(let number) = low, number == 0 { low = .double(-0.0) }
        if case .double(let number) = high, number == 0 { high = .double(0.0) }
        return (Self.plain(low), Self.plain(high))
    }

    private static func precedes(_ a: ParquetValue, _ b: ParquetValue) -> Bool {
        switch (a, b) {
        case (.boolean(let x), .boolean(let y)): !x && y
        case (.int64(let x), .int64(let y)), (.timestampMillis(let x), .timestampMillis(let y)),
            (.int64(let x), .timestampMillis(let y)), (.timestampMillis(let x), .int64(let y)):
            x < y
        case (.double(let x), .double(let y)): x < y
        case (.string(let x), .string(let y)): x.utf8.lexicographicallyPrecedes(y.utf8)
        default: false
        }
    }

    private static func plain(_ value: ParquetValue) -> [UInt8] {
        var out: [UInt8] = []
        switch value {
        case .boolean(let flag): out.append(flag ? 1 : 0)
        case .int64(let number), .timestampMillis(let number): appendLittleEndian(UInt64(bitPattern: number), to: &out)
        case .double(let number): appendLittleEndian(number.bitPattern, to: &out)
        case .string(let text): out.append(contentsOf: text.utf8)
        case .null, .list: break
        }
        return out
    }
}
