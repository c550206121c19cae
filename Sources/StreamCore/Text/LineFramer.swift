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

    public init(maxLineBytes: Int) {
        self.maxLineBytes = maxLineBytes
    }

    /// Feeds bytes; calls `onLine` for every complete line, or with a rejection and the
    /// line's first bytes.
    public mutating func append(
        _ bytes: some Collection<UInt8>, _ onLine: (Result<String, Rejection>, ArraySlice<UInt8>) -> Void
    ) {
        for byte in bytes {
            if byte == 0x0A {
                emit(onLine)
                continue
            }
            if discarding { continue }
            if pending.count > maxLineBytes {
                discarding = true
                continue
            }
            pending.append(byte)
        }
        if pending.count > maxLineBytes, !discarding { discarding = true }
    }

    /// Ends the stream: a last line without a newline is still a line.
    public mutating func finish(_ onLine: (Result<String, Rejection>, ArraySlice<UInt8>) -> Void) {
        if !pending.isEmpty || discarding { emit(onLine) }
    }

    private mutating func emit(_ onLine: (Result<String, Rejection>, ArraySlice<UInt8>) -> Void) {
        defer {
            pending.removeAll(keepingCapacity: true)
            discarding = false
        }
        var line = pending[...]
        if line.last == 0x0D { line = line.dropLast() }
        if discarding || line.count > maxLineBytes {
            return onLine(.failure(.tooLong(limit: maxLineBytes)), line.prefix(4096))
        }
        guard let text = String(validating: line, as: UTF8.self) else {
            return onLine(.failure(.invalidUTF8), line)
        }
        onLine(.success(text), line)
    }
}
