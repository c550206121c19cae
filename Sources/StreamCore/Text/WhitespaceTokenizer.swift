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
    ///
    /// Sixty-four bytes at a time: one bit per byte says whether it is whitespace, and words
    /// are the runs of clear bits, found with two bit counts each, however long the line.
    /// The last, partial block (and so a whole short line) is read eight bytes at a time.
    @inlinable
    static func forEachWord(inValidUTF8 bytes: UnsafeBufferPointer<UInt8>, _ body: (Word) throws -> Void) rethrows {
        let count = bytes.count
        var block = 0
        // Where the word that reached the end of the last block began, if one did.
        var open: Int? = nil
        // The bytes at the start of this block that end a whitespace scalar begun in the last.
        var carried = 0
        while block + 64 <= count {
            var words = ~whitespaceBits(bytes, block: block, carried: &carried)
            if let start = open {
                let length = (~words).trailingZeroBitCount
                if length == 64 {
                    block += 64
                    continue
                }
                try body(
                    Word(validUTF8: UnsafeBufferPointer(rebasing: bytes[start..<block + length]), readableUpTo: count - start))
                open = nil
                words &= ~0 << UInt64(length)
            }
            while words != 0 {
                let first = words.trailingZeroBitCount
                let length = (~(words >> UInt64(first))).trailingZeroBitCount
                let start = block + first
                if first + length == 64 {
                    open = start
                    break
                }
                try body(
                    Word(validUTF8: UnsafeBufferPointer(rebasing: bytes[start..<start + length]), readableUpTo: count - start))
                words &= ~0 << UInt64(first + length)
            }
            block += 64
        }
        var i = block + carried
        if let start = open {
            // The last block ended inside a word (so no whitespace was carried): it ends at
            // the first whitespace from here (`endOfWord` looks after the byte it is given).
            i = endOfWord(bytes, after: block - 1)
            try body(Word(validUTF8: UnsafeBufferPointer(rebasing: bytes[start..<i]), readableUpTo: count - start))
        }
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

/// Bit *k* set when byte `block + k` of `bytes` is part of a whitespace scalar, for the 64
/// bytes from `block`. Sixteen bytes at a time in vector registers: ASCII whitespace is
/// found exactly; a byte that can start Unicode whitespace (C2, E0–E3) is rare and looked at
/// closely. `carried`: on entry, how many bytes at `block` end a whitespace scalar begun
/// before it; on return, the same for the next block.
@inlinable
func whitespaceBits(_ bytes: UnsafeBufferPointer<UInt8>, block: Int, carried: inout Int) -> UInt64 {
    let raw = UnsafeRawPointer(bytes.baseAddress!) + block
    var space: UInt64 = carried == 0 ? 0 : (1 << UInt64(carried)) &- 1
    var leads: UInt64 = 0
    // Vectors of one repeated byte, spelled out: comparing with a scalar took a generic path.
    let blank = SIMD16<UInt8>(repeating: 0x20), tab = SIMD16<UInt8>(repeating: 0x09)
    let separator = SIMD16<UInt8>(repeating: 0x1C), four = SIMD16<UInt8>(repeating: 4)
    let c2 = SIMD16<UInt8>(repeating: 0xC2), fc = SIMD16<UInt8>(repeating: 0xFC), e0 = SIMD16<UInt8>(repeating: 0xE0)
    for quarter in 0..<4 {
        let v = raw.loadUnaligned(fromByteOffset: 16 * quarter, as: SIMD16<UInt8>.self)
        // \t \n \v \f \r (09–0D), the separators 1C–1F, and the space.
        let ascii = (v .== blank) .| (v &- tab .<= four) .| (v &- separator .< four)
        space |= laneBits(ascii) << UInt64(16 * quarter)
        let lead = (v .== c2) .| (v & fc .== e0)
        if anyLane(lead) { leads |= laneBits(lead) << UInt64(16 * quarter) }
    }
    carried = 0
    while leads != 0 {
        let k = leads.trailingZeroBitCount
        leads &= leads &- 1
        let width = whitespaceWidth(bytes, at: block + k)
        guard width > 0 else { continue }
        let end = k + width
        space |= (end >= 64 ? ~0 : (1 << UInt64(end)) &- 1) & ~((1 << UInt64(k)) &- 1)
        if end > 64 { carried = end - 64 }
    }
    return space
}

/// One bit per lane of `mask`: lane *k* is bit *k*. Each half's lanes (bytes of all ones or
/// all zeros) are gathered into one byte by a multiply whose partial products never overlap.
@inlinable @inline(__always)
func laneBits(_ mask: SIMDMask<SIMD16<Int8>>) -> UInt64 {
    let halves = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
    let low = ((halves[0] & 0x0101_0101_0101_0101) &* 0x0102_0408_1020_4080) >> 56
    let high = ((halves[1] & 0x0101_0101_0101_0101) &* 0x0102_0408_1020_4080) >> 56
    return low | high << 8
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

/// The high bit of every byte of `a` that equals the same byte of `b`, exactly (no borrow
/// from one byte reaches the next).
@inlinable @inline(__always)
func bytesEqual(_ a: UInt64, _ b: UInt64) -> UInt64 {
    let difference = a ^ b
    return ~(((difference & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | difference) & 0x8080_8080_8080_8080
}
