import Foundation

/// Cuts a byte stream into lines, whatever the chunk boundaries, with a bound on line length.
///
/// Lines end in `\n` (a preceding `\r` is removed). A line longer than `maxLineBytes` is
/// rejected whole without being buffered, so a sender that never sends a newline cannot
/// exhaust memory. Invalid UTF-8 is rejected, never repaired silently.
public struct LineFramer: Sendable {
    /// Why a line was rejected.
    public enum Rejection: Error, Sendable, CustomStringConvertible {
        case tooLong(limit: Int)
        case invalidUTF8

        public var description: String {
            switch self {
            case .tooLong(let limit): return "line longer than \(limit) bytes"
            case .invalidUTF8: return "line is not valid UTF-8"
            }
        }
    }

    /// The longest accepted line, in bytes, without its line ending.
    public let maxLineBytes: Int
    private var pending: [UInt8] = []
    private var discarding = false

    /// A framer that rejects lines longer than `maxLineBytes`.
    public init(maxLineBytes: Int) {
        self.maxLineBytes = maxLineBytes
    }

    /// Feeds bytes; calls `onLine` for every complete line, or with a rejection and the
    /// line's first bytes. Contiguous input is scanned with `memchr`, and a line that lies
    /// whole inside it is decoded in place, without being copied.
    public mutating func append(
        _ bytes: some Collection<UInt8>, _ onLine: (Result<String, Rejection>, ArraySlice<UInt8>) -> Void
    ) {
        let scanned: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            frame(UnsafeRawBufferPointer(buffer)) { Self.decode($0, onLine) }
        }
        if scanned == nil { Array(bytes).withUnsafeBytes { frame($0) { Self.decode($0, onLine) } } }
    }

    /// Ends the stream: a last line without a newline is still a line.
    public mutating func finish(_ onLine: (Result<String, Rejection>, ArraySlice<UInt8>) -> Void) {
        finishFraming { Self.decode($0, onLine) }
    }

    /// Feeds a large block, like `append(_:_:)`, with its whole lines validated on all of
    /// `executor`'s threads and packed into `chunks`, in order; rejected lines go to
    /// `onRejected`, in order too. No `String` is made: `LineBatch` makes them when asked.
    mutating func append(
        _ buffer: UnsafeRawBufferPointer, validatingOn executor: ParallelExecutor, into chunks: inout [LineChunk],
        onRejected: (Rejection, ArraySlice<UInt8>) -> Void
    ) throws {
        var edge = LineChunk.Builder(capacity: 0)
        func collect(_ line: FramedLine) { Self.pack(line, into: &edge, onRejected) }
        func flushEdge() {
            if !edge.ends.isEmpty { chunks.append(edge.chunk) }
            edge = LineChunk.Builder(capacity: 0)
        }
        guard executor.parallelism > 1, buffer.count >= 1 << 20, let base = buffer.baseAddress,
            let first = memchr(base, 0x0A, buffer.count), let last = buffer.lastIndex(of: 0x0A)
        else {
            edge = LineChunk.Builder(capacity: buffer.count)
            frame(buffer, collect)
            return flushEdge()
        }
        // The first line may continue what an earlier block started: the framer finishes it.
        let head = base.distance(to: UnsafeRawPointer(first)) + 1
        frame(UnsafeRawBufferPointer(rebasing: buffer[..<head]), collect)
        flushEdge()
        let tail = last + 1
        let whole = UnsafeRawBufferPointer(rebasing: buffer[head..<tail])
        var bounds = [0]
        for part in 1..<executor.parallelism {
            let target = max(bounds[part - 1], whole.count * part / executor.parallelism)
            let newline = target < whole.count ? memchr(whole.baseAddress! + target, 0x0A, whole.count - target) : nil
            bounds.append(newline.map { whole.baseAddress!.distance(to: UnsafeRawPointer($0)) + 1 } ?? whole.count)
        }
        bounds.append(whole.count)
        let maxLineBytes = self.maxLineBytes
        let packed = try executor.map(executor.parallelism) { part in
            let bytes = UnsafeRawBufferPointer(rebasing: whole[bounds[part]..<bounds[part + 1]])
            var builder = LineChunk.Builder(capacity: bytes.count)
            var rejected: [(Rejection, ArraySlice<UInt8>)] = []
            var framer = LineFramer(maxLineBytes: maxLineBytes)
            // Whole lines, checked in one pass: only if they hold a malformed one is each line
            // checked on its own (one call per line cost more than the check itself).
            let valid = isValidUTF8(bytes)
            framer.frame(bytes) { Self.pack($0, into: &builder, known: valid) { rejected.append(($0, $1)) } }
            return (chunk: builder.ends.isEmpty ? nil : builder.chunk, rejected: rejected)
        }
        for part in packed {
            if let chunk = part.chunk { chunks.append(chunk) }
            for (reason, bytes) in part.rejected { onRejected(reason, bytes) }
        }
        frame(UnsafeRawBufferPointer(rebasing: buffer[tail...]), collect)
        flushEdge()
    }

    /// Ends the stream like `finish(_:)`, for a caller that packs lines, as
    /// `append(_:validatingOn:into:onRejected:)` does.
    mutating func finish(into chunks: inout [LineChunk], onRejected: (Rejection, ArraySlice<UInt8>) -> Void) {
        var builder = LineChunk.Builder(capacity: 0)
        finishFraming { Self.pack($0, into: &builder, onRejected) }
        if !builder.ends.isEmpty { chunks.append(builder.chunk) }
    }

    /// What framing finds: a whole line (its line ending removed, not yet validated), or a
    /// rejection with the line's first bytes.
    enum FramedLine {
        case line(UnsafeRawBufferPointer)
        case rejected(Rejection, ArraySlice<UInt8>)
    }

    /// A framed line as a `String`, or rejected if it is not UTF-8.
    private static func decode(_ framed: FramedLine, _ onLine: (Result<String, Rejection>, ArraySlice<UInt8>) -> Void) {
        switch framed {
        case .line(let line):
            // `_tryFromUTF8` rather than `String(validating:as:)`, whose generic path looked up
            // type metadata for every line.
            guard let text = String._tryFromUTF8(line.assumingMemoryBound(to: UInt8.self)) else {
                return onLine(.failure(.invalidUTF8), ArraySlice(line))
            }
            onLine(.success(text), [])
        case .rejected(let reason, let bytes):
            onLine(.failure(reason), bytes)
        }
    }

    /// A framed line packed into `builder`, or rejected if it is not UTF-8 (`known`: the
    /// caller already found every line valid).
    private static func pack(
        _ framed: FramedLine, into builder: inout LineChunk.Builder, known valid: Bool = false,
        _ onRejected: (Rejection, ArraySlice<UInt8>) -> Void
    ) {
        switch framed {
        case .line(let line):
            guard valid || isValidUTF8(line) else { return onRejected(.invalidUTF8, ArraySlice(line)) }
            builder.append(line)
        case .rejected(let reason, let bytes):
            onRejected(reason, bytes)
        }
    }

    /// Cuts contiguous bytes into lines with `memchr`; a line that lies whole inside them is
    /// passed in place, without being copied.
    private mutating func frame(_ buffer: UnsafeRawBufferPointer, _ onLine: (FramedLine) -> Void) {
        guard let base = buffer.baseAddress else { return }
        var start = 0
        while start < buffer.count {
            let rest = buffer.count - start
            guard let found = memchr(base + start, 0x0A, rest) else {
                take(UnsafeRawBufferPointer(rebasing: buffer[start...]))
                return
            }
            let end = base.distance(to: UnsafeRawPointer(found))
            if pending.isEmpty, !discarding {
                emit(UnsafeRawBufferPointer(rebasing: buffer[start..<end]), onLine)
            } else {
                take(UnsafeRawBufferPointer(rebasing: buffer[start..<end]))
                emitPending(onLine)
            }
            start = end + 1
        }
    }

    /// Keeps the start of an unfinished line, or only notes that it is too long.
    private mutating func take(_ bytes: UnsafeRawBufferPointer) {
        guard !discarding else { return }
        if pending.count + bytes.count > maxLineBytes + 1 {
            discarding = true
            pending.append(contentsOf: bytes.prefix(max(0, 4096 - pending.count)))
        } else {
            pending.append(contentsOf: bytes)
        }
    }

    private mutating func finishFraming(_ onLine: (FramedLine) -> Void) {
        if !pending.isEmpty || discarding { emitPending(onLine) }
    }

    private mutating func emitPending(_ onLine: (FramedLine) -> Void) {
        defer {
            pending.removeAll(keepingCapacity: true)
            discarding = false
        }
        if discarding { return onLine(.rejected(.tooLong(limit: maxLineBytes), pending.prefix(4096))) }
        pending.withUnsafeBytes { emit($0, onLine) }
    }

    private func emit(_ bytes: UnsafeRawBufferPointer, _ onLine: (FramedLine) -> Void) {
        var line = bytes
        if line.last == 0x0D { line = UnsafeRawBufferPointer(rebasing: line.dropLast()) }
        if line.count > maxLineBytes {
            return onLine(.rejected(.tooLong(limit: maxLineBytes), ArraySlice(line.prefix(4096))))
        }
        onLine(.line(line))
    }
}
