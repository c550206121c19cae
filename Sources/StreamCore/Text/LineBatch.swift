/// Lines kept as the UTF-8 bytes they were read as, already validated: a file replay's batch
/// before (or instead of) becoming one `String` per line.
///
/// `words()` reads the bytes straight from here, so a word count never makes, validates a
/// second time, or frees a string per line; any other operator gets the `String`s, made as it
/// consumes them.
@usableFromInline
struct LineBatch: Sendable {
    /// Lines `lines` of `chunk`, in order.
    @usableFromInline
    struct Part: Sendable {
        @usableFromInline let chunk: LineChunk
        @usableFromInline let lines: Range<Int>
    }

    @usableFromInline var parts: [Part] = []

    /// The number of lines.
    @usableFromInline var count: Int { parts.reduce(0) { $0 + $1.lines.count } }

    mutating func append(_ chunk: LineChunk, lines: Range<Int>) {
        if !lines.isEmpty { parts.append(Part(chunk: chunk, lines: lines)) }
    }

    /// Lines `range` of the batch.
    @usableFromInline
    func lines(_ range: Range<Int>) -> LineBatch {
        var slice = LineBatch()
        var first = 0
        for part in parts {
            let lower = max(range.lowerBound - first, 0) + part.lines.lowerBound
            let upper = min(range.upperBound - first, part.lines.count) + part.lines.lowerBound
            if lower < upper { slice.parts.append(Part(chunk: part.chunk, lines: lower..<upper)) }
            first += part.lines.count
        }
        return slice
    }

    /// Calls `body` with each line, as a `String`.
    @inlinable
    func forEachString(_ body: (String) throws -> Void) rethrows {
        for part in parts {
            try part.chunk.bytes.withUnsafeBufferPointer { bytes in
                for line in part.lines {
                    try body(String(decoding: UnsafeBufferPointer(rebasing: bytes[part.chunk.range(of: line)]), as: UTF8.self))
                }
            }
        }
    }

    /// Calls `body` with each word of each line, split as `Word.split` splits a line.
    @inlinable
    func forEachWord(_ body: (Word) throws -> Void) rethrows {
        for part in parts {
            // A chunk's lines are separated by `\n`, itself whitespace: its words are those
            // of one run of bytes, from the first line's start to the last line's end.
            let start = part.chunk.range(of: part.lines.lowerBound).lowerBound
            let end = part.chunk.range(of: part.lines.upperBound - 1).upperBound
            try part.chunk.bytes.withUnsafeBufferPointer { bytes in
                try Word.forEachWord(inValidUTF8: UnsafeBufferPointer(rebasing: bytes[start..<end]), body)
            }
        }
    }

    /// The lines as strings.
    func strings() -> [String] {
        var strings: [String] = []
        strings.reserveCapacity(count)
        forEachString { strings.append($0) }
        return strings
    }
}

/// Lines packed one after another, each followed by `\n`, with where each ends. Immutable
/// once built, so batches share it: a batch may end halfway through a chunk.
@usableFromInline
final class LineChunk: Sendable {
    /// The lines' bytes, each line followed by `\n`.
    @usableFromInline let bytes: [UInt8]
    /// Where each line ends (the index of its `\n`).
    @usableFromInline let ends: [Int]

    init(bytes: [UInt8], ends: [Int]) {
        self.bytes = bytes
        self.ends = ends
    }

    @usableFromInline var count: Int { ends.count }

    /// The bytes of line `line`, without its `\n`.
    @inlinable
    func range(of line: Int) -> Range<Int> {
        (line == 0 ? 0 : ends[line - 1] + 1)..<ends[line]
    }

    /// Builds a chunk line by line.
    struct Builder {
        var bytes: [UInt8] = []
        var ends: [Int] = []

        init(capacity: Int) {
            bytes.reserveCapacity(capacity)
        }

        mutating func append(_ line: UnsafeRawBufferPointer) {
            bytes.append(contentsOf: line)
            ends.append(bytes.count)
            bytes.append(0x0A)
        }

        var chunk: LineChunk { LineChunk(bytes: bytes, ends: ends) }
    }
}
