/// Parquet's RLE / bit-packing hybrid, for definition and repetition levels and dictionary
/// indices: runs of eight or more equal values are run-length encoded, the rest bit-packed
/// in groups of eight (least significant bit first). Only the last group may be padded.
enum RLEHybrid {
    /// The bits needed for values up to `maximum`.
    static func bitWidth(_ maximum: Int) -> Int {
        maximum == 0 ? 0 : Int.bitWidth - maximum.leadingZeroBitCount
    }

    /// Appends the encoding of `values` (each < 2^bitWidth) to `out`.
    static func encode(_ values: [UInt32], bitWidth: Int, to out: inout [UInt8]) {
        let count = values.count
        var i = 0
        while i < count {
            let run = runLength(values, at: i)
            if run >= 8 {
                header(UInt64(run) << 1, to: &out)
                let width = (bitWidth + 7) / 8
                for byte in 0..<width { out.append(UInt8(truncatingIfNeeded: values[i] >> (8 * byte))) }
                i += run
                continue
            }
            // Bit-pack whole groups of eight until a long run starts at a group boundary.
            var end = i
            repeat { end += 8 } while end < count && runLength(values, at: end) < 8
            let groups = (min(end, count) - i + 7) / 8
            header(UInt64(groups) << 1 | 1, to: &out)
            pack(values, from: i, groups: groups, bitWidth: bitWidth, to: &out)
            i = min(end, count)
        }
    }

    private static func runLength(_ values: [UInt32], at start: Int) -> Int {
        var end = start + 1
        while end < values.count && values[end] == values[start] { end += 1 }
        return end - start
    }

    private static func pack(_ values: [UInt32], from start: Int, groups: Int, bitWidth: Int, to out: inout [UInt8]) {
        guard bitWidth > 0 else { return }
        var buffer: UInt64 = 0
        var bits = 0
        for k in 0..<(groups * 8) {
            let value = start + k < values.count ? UInt64(values[start + k]) : 0
            buffer |= value << bits
            bits += bitWidth
            while bits >= 8 {
                out.append(UInt8(truncatingIfNeeded: buffer))
                buffer >>= 8
                bits -= 8
            }
        }
        if bits > 0 { out.append(UInt8(truncatingIfNeeded: buffer)) }
    }

    private static func header(_ value: UInt64, to out: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            out.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }
}

extension RLEHybrid {
    /// Decodes `count` values of `bitWidth` bits from `bytes` (runs and bit-packed groups).
    /// - Throws: `ParquetFormatError` when the bytes end before `count` values.
    static func decode(_ bytes: ArraySlice<UInt8>, bitWidth: Int, count: Int) throws -> [UInt32] {
        guard (0...32).contains(bitWidth) else { throw ParquetFormatError("bit width \(bitWidth)") }
        var values: [UInt32] = []
        values.reserveCapacity(count)
        var i = bytes.startIndex
        func varint() throws -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while i < bytes.endIndex, shift < 64 {
                let byte = bytes[i]
                i += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
            throw ParquetFormatError("levels or indices end early")
        }
        while values.count < count {
            let header = try varint()
            if header & 1 == 0 {
                let run = Int(header >> 1)
                let width = (bitWidth + 7) / 8
                guard width <= bytes.endIndex - i else { throw ParquetFormatError("levels or indices end early") }
                var value: UInt32 = 0
                for byte in 0..<width { value |= UInt32(bytes[i + byte]) << (8 * UInt32(byte)) }
                i += width
                values.append(contentsOf: repeatElement(value, count: min(run, count - values.count)))
            } else {
                let total = Int(header >> 1) * 8
                guard (total * bitWidth + 7) / 8 <= bytes.endIndex - i else {
                    throw ParquetFormatError("levels or indices end early")
                }
                var buffer: UInt64 = 0
                var bits = 0
                let mask: UInt64 = bitWidth == 32 ? 0xFFFF_FFFF : (1 << UInt64(bitWidth)) - 1
                for _ in 0..<total {
                    while bits < bitWidth {
                        buffer |= UInt64(bytes[i]) << UInt64(bits)
                        i += 1
                        bits += 8
                    }
                    if values.count < count { values.append(UInt32(buffer & mask)) }
                    buffer >>= UInt64(bitWidth)
                    bits -= bitWidth
                }
            }
        }
        return values
    }
}
