/// Whether `bytes` are well-formed UTF-8: exactly what `String(validating:as:)` accepts (no
/// overlong forms, no surrogates, nothing above U+10FFFF, no cut-off sequence).
///
/// Eight ASCII bytes at a time, and only the multi-byte sequences looked at one by one: text
/// is mostly ASCII even when most of its lines are not, and the standard library's validator,
/// once a line holds one non-ASCII byte, goes byte by byte through all of it.
@usableFromInline
func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let count = bytes.count
    var i = 0
    @inline(__always) func continuation(_ j: Int) -> Bool { base.load(fromByteOffset: j, as: UInt8.self) & 0xC0 == 0x80 }
    while i < count {
        if i + 8 <= count {
            let high = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) & 0x8080_8080_8080_8080
            if high == 0 {
                i += 8
                continue
            }
            i += high.trailingZeroBitCount / 8
        }
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
        default: return false
        }
        guard i + length <= count, second.contains(base.load(fromByteOffset: i + 1, as: UInt8.self)) else { return false }
        if length > 2, !continuation(i + 2) { return false }
        if length > 3, !continuation(i + 3) { return false }
        i += length
    }
    return true
}
