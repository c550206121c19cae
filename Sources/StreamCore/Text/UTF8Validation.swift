/// Whether `bytes` are well-formed UTF-8: exactly what `String(validating:as:)` accepts (no
/// overlong forms, no surrogates, nothing above U+10FFFF, no cut-off sequence).
///
/// Eight bytes at a time, without a branch per byte: text is mostly ASCII and two-byte
/// letters (é, ü), and for those one comparison of two masks (the lead bytes, shifted by
/// one, against the continuation bytes) checks all eight. Eight bytes holding anything
/// rarer (a three- or four-byte lead, C0, C1) are checked sequence by sequence. The standard
/// library's validator, once a line holds one non-ASCII byte, goes byte by byte through all
/// of it.
@usableFromInline
func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let count = bytes.count
    var i = 0
    // The high bit of byte 0 when the byte before `i` is a two-byte lead still waiting for
    // its continuation byte.
    var waiting: UInt64 = 0
    while i + 8 <= count {
        let chunk = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        if chunk & 0x8080_8080_8080_8080 == 0, waiting == 0 {
            i += 8
            continue
        }
        let rare =
            bytesEqual(chunk & 0xE0E0_E0E0_E0E0_E0E0, 0xE0E0_E0E0_E0E0_E0E0)
            | bytesEqual(chunk & 0xFEFE_FEFE_FEFE_FEFE, 0xC0C0_C0C0_C0C0_C0C0)
        if rare != 0 {
            // Sequence by sequence from the last boundary, to one at or after these eight bytes.
            guard let boundary = validateSequences(base, from: i - (waiting == 0 ? 0 : 1), until: i + 8, count: count) else {
                return false
            }
            i = boundary
            waiting = 0
            continue
        }
        let leads = bytesEqual(chunk & 0xE0E0_E0E0_E0E0_E0E0, 0xC0C0_C0C0_C0C0_C0C0)
        let continuations = bytesEqual(chunk & 0xC0C0_C0C0_C0C0_C0C0, 0x8080_8080_8080_8080)
        guard continuations == (leads << 8) | waiting else { return false }
        waiting = leads >> 56
        i += 8
    }
    return validateSequences(base, from: i - (waiting == 0 ? 0 : 1), until: count, count: count) != nil
}

/// The high bit of every byte of `a` that equals the same byte of `b`, exactly (no borrow
/// from one byte reaches the next).
@inlinable @inline(__always)
func bytesEqual(_ a: UInt64, _ b: UInt64) -> UInt64 {
    let difference = a ^ b
    return ~(((difference & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | difference) & 0x8080_8080_8080_8080
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
