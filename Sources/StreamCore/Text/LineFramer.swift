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
            append(contiguous: UnsafeRawBufferPointer(buffer), onLine)
        }
        if scanned == nil { Array(bytes).withUnsafeBytes { append(contiguous: $0, onLine) } }
    }

    private mutating func append(
        contiguous buffer: UnsafeRawBufferPointer, _ onLine: (Result<String, Rejection>, ArraySlice<UInt8>) -> Void
    ) {
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

    /// Feeds a large block, like `append(_:_:)`, with its whole lines decoded (UTF-8 validated
    /// and copied) on all of `executor`'s threads and appended to `lines` in order; rejected
    /// lines go to `onRejected`, in order too.
    ///
    /// Each thread's lines are moved into `lines`, not copied one by one: a copy retains every
    /// line made on another core, a cache miss each, on the one thread that reads the file.
    mutating func append(
        _ buffer: UnsafeRawBufferPointer, decodingOn executor: ParallelExecutor, into lines: inout [String],
        onRejected: (Rejection, ArraySlice<UInt8>) -> Void
    ) throws {
        func collect(_ result: Result<String, Rejection>, _ bytes: ArraySlice<UInt8>) {
            Self.keep(result, bytes, in: &lines, onRejected)
        }
        guard executor.parallelism > 1, buffer.count >= 1 << 20, let base = buffer.baseAddress,
            let first = memchr(base, 0x0A, buffer.count), let last = buffer.lastIndex(of: 0x0A)
        else { return append(contiguous: buffer, collect) }
        // The first line may continue what an earlier block started: the framer finishes it.
        let head = base.distance(to: UnsafeRawPointer(first)) + 1
        append(contiguous: UnsafeRawBufferPointer(rebasing: buffer[..<head]), collect)
        let tail = last + 1
        let whole = UnsafeRawBufferPointer(rebasing: buffer[head..<tail])
        var bounds = [0]
        for chunk in 1..<executor.parallelism {
            let target = max(bounds[chunk - 1], whole.count * chunk / executor.parallelism)
            let newline = target < whole.count ? memchr(whole.baseAddress! + target, 0x0A, whole.count - target) : nil
            bounds.append(newline.map { whole.baseAddress!.distance(to: UnsafeRawPointer($0)) + 1 } ?? whole.count)
        }
        bounds.append(whole.count)
        let maxLineBytes = self.maxLineBytes
        var decoded = try executor.map(executor.parallelism) { chunk in
            var chunkLines: [String] = []
            var rejected: [(Rejection, ArraySlice<UInt8>)] = []
            var framer = LineFramer(maxLineBytes: maxLineBytes)
            framer.append(contiguous: UnsafeRawBufferPointer(rebasing: whole[bounds[chunk]..<bounds[chunk + 1]])) {
                switch $0 {
                case .success(let line): chunkLines.append(line)
                case .failure(let reason): rejected.append((reason, $1))
                }
            }
            return (lines: chunkLines, rejected: rejected)
        }
        for chunk in decoded.indices {
            lines.appendMoving(&decoded[chunk].lines, decoded[chunk].lines.indices)
            for (reason, bytes) in decoded[chunk].rejected { onRejected(reason, bytes) }
        }
        append(contiguous: UnsafeRawBufferPointer(rebasing: buffer[tail...]), collect)
    }

    /// Ends the stream like `finish(_:)`, for a caller that keeps the lines, as
    /// `append(_:decodingOn:into:onRejected:)` does.
    mutating func finish(into lines: inout [String], onRejected: (Rejection, ArraySlice<UInt8>) -> Void) {
        finish { Self.keep($0, $1, in: &lines, onRejected) }
    }

    /// A decoded line goes to `lines`, a rejected one to `onRejected`.
    private static func keep(
        _ result: Result<String, Rejection>, _ bytes: ArraySlice<UInt8>, in lines: inout [String],
        _ onRejected: (Rejection, ArraySlice<UInt8>) -> Void
    ) {
        switch result {
        case .success(let line): lines.append(line)
        case .failure(let reason): onRejected(reason, bytes)
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

    /// Ends the stream: a last line without a newline is still a line.
    public mutating func finish(_ onLine: (Result<String, Rejection>, ArraySlice<UInt8>) -> Void) {
        if !pending.isEmpty || discarding { emitPending(onLine) }
    }

    private mutating func emitPending(_ onLine: (Result<String, Rejection>, ArraySlice<UInt8>) -> Void) {
        defer {
            pending.removeAll(keepingCapacity: true)
            discarding = false
        }
        if discarding { return onLine(.failure(.tooLong(limit: maxLineBytes)), pending.prefix(4096)) }
        pending.withUnsafeBytes { emit($0, onLine) }
    }

    private func emit(_ bytes: UnsafeRawBufferPointer, _ onLine: (Result<String, Rejection>, ArraySlice<UInt8>) -> Void) {
        var line = bytes
        if line.last == 0x0D { line = UnsafeRawBufferPointer(rebasing: line.dropLast()) }
        if line.count > maxLineBytes {
            return onLine(.failure(.tooLong(limit: maxLineBytes)), ArraySlice(line.prefix(4096)))
        }
        // `_tryFromUTF8` rather than `String(validating:as:)`, whose generic path looked up
        // type metadata for every line.
        guard let text = String._tryFromUTF8(line.assumingMemoryBound(to: UInt8.self)) else {
            return onLine(.failure(.invalidUTF8), ArraySlice(line))
        }
        onLine(.success(text), [])
    }
}

extension Array where Element == String {
    /// Moves `source[range]` to the end of this array, leaving empty strings in its place: no
    /// retain and release per line, and no touching of lines that another core just made.
    @usableFromInline
    mutating func appendMoving(_ source: inout [String], _ range: Range<Int>) {
        if capacity < count + range.count { reserveCapacity(Swift.max(count + range.count, 2 * capacity)) }
        source.withUnsafeMutableBufferPointer { source in
            let moved = UnsafeMutableBufferPointer(rebasing: source[range])
            guard let base = moved.baseAddress else { return }
            for i in 0..<moved.count { append((base + i).move()) }
            moved.initialize(repeating: "")
        }
    }
}
