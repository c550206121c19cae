extension Word {
    /// Splits a line the way the tutorials' Python `line.split()` does: on runs of whitespace
    /// (ASCII and Unicode), with no empty tokens. An empty or blank line has no words.
    ///
    /// - Important: Scala's `line.split(" ")` differs (it yields empty tokens); Spark's golden
    ///   outputs for our tutorials use the Python rule.
    public static func split(_ line: String) -> [Word] {
        var words: [Word] = []
        words.reserveCapacity(line.utf8.count / 5 + 1)
        forEachWord(in: line) { words.append($0) }
        return words
    }

    /// Calls `body` with each whitespace-separated word of `line`, without building an array.
    @inlinable
    public static func forEachWord(in line: String, _ body: (Word) throws -> Void) rethrows {
        var line = line
        try line.withUTF8 { try forEachWord(inValidUTF8: $0, body) }
    }

    /// Calls `body` with each whitespace-separated word of `bytes`, which must be valid UTF-8.
    @inlinable
    static func forEachWord(inValidUTF8 bytes: UnsafeBufferPointer<UInt8>, _ body: (Word) throws -> Void) rethrows {
        let count = bytes.count
        var i = 0
        while true {
            while i < count {
                let width = whitespaceWidth(bytes, at: i)
                if width == 0 { break }
                i += width
            }
            guard i < count else { return }
            let start = i
            i = endOfWord(bytes, after: start)
            try body(Word(validUTF8: UnsafeBufferPointer(rebasing: bytes[start..<i]), readableUpTo: count - start))
        }
    }
}

/// The index of the first whitespace scalar after `start`, or the end of `bytes`.
///
/// Eight bytes at a time: masks find the first byte of eight that is below `!` (ASCII
/// whitespace lives there) or the first byte of a Unicode whitespace scalar (C2, or E0–E3);
/// only that byte is looked at closely. Other non-ASCII bytes are letters (é is C3 A9) and are
/// not stopped at: in Latin text most words had been, at a mispredicted branch.
@inlinable
func endOfWord(_ bytes: UnsafeBufferPointer<UInt8>, after start: Int) -> Int {
    let count = bytes.count
    let raw = UnsafeRawPointer(bytes.baseAddress!)
    var i = start + 1
    while i + 8 <= count {
        let chunk = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        // The lowest byte below `!` is flagged exactly (no borrow reaches it from below; bytes
        // above it may be flagged wrongly, which the lowest flag never is).
        let control = (chunk &- 0x2121_2121_2121_2121) & ~chunk & 0x8080_8080_8080_8080
        let leads =
            bytesEqual(chunk, 0xC2C2_C2C2_C2C2_C2C2) | bytesEqual(chunk & 0xFCFC_FCFC_FCFC_FCFC, 0xE0E0_E0E0_E0E0_E0E0)
        let flagged = control | leads
        if flagged == 0 {
            i += 8
            continue
        }
        i += flagged.trailingZeroBitCount / 8
        if whitespaceWidth(bytes, at: i) > 0 { return i }
        i += 1
    }
    while i < count, whitespaceWidth(bytes, at: i) == 0 { i += 1 }
    return i
}

/// The byte length of the whitespace scalar at `i`, or 0. Whitespace is Python's `str.isspace`:
/// `\t\n\v\f\r`, `\x1c`–`\x1f`, space, U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029,
/// U+202F, U+205F and U+3000.
@inlinable @inline(__always)
func whitespaceWidth(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
    let b = bytes[i]
    if b < 0x80 {
        return (b == 0x20 || (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x1F)) ? 1 : 0
    }
    let remaining = bytes.count - i
    switch b {
    case 0xC2 where remaining >= 2:
        let b1 = bytes[i + 1]
        return (b1 == 0x85 || b1 == 0xA0) ? 2 : 0
    case 0xE1 where remaining >= 3:
        return (bytes[i + 1] == 0x9A && bytes[i + 2] == 0x80) ? 3 : 0
    case 0xE2 where remaining >= 3:
        let b1 = bytes[i + 1], b2 = bytes[i + 2]
        if b1 == 0x80 { return (b2 <= 0x8A || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF) && b2 >= 0x80 ? 3 : 0 }
        if b1 == 0x81 { return b2 == 0x9F ? 3 : 0 }
        return 0
    case 0xE3 where remaining >= 3:
        return (bytes[i + 1] == 0x80 && bytes[i + 2] == 0x80) ? 3 : 0
    default:
        return 0
    }
}
