import Foundation
import Logging
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Lines of text from a TCP server (Spark's `socketTextStream`): try it with `nc -lk 9999`.
///
/// A reader thread connects, reads lines into a bounded buffer, and reconnects with backoff
/// while the server is absent or after it goes away. Over-long and invalid-UTF-8 lines are
/// counted in `rejectedRecords` and passed to `onRejected`.
///
/// Sendable: the reader thread and the scheduler share `stopped`, `socket`, `stats`, `bufferFull` and `warnings` only under `condition`.
public final class SocketTextSource: StreamSource, @unchecked Sendable {
    /// Connection, buffering and framing settings.
    public struct Options: Sendable {
        /// The longest accepted line in bytes; longer lines are rejected and skipped.
        public var maxLineBytes = 1 << 20
        /// Lines held between batches before the reader stops reading (TCP backpressure).
        public var bufferCapacity = 100_000
        /// The most lines one batch takes (nil: all that arrived).
        public var maxRecordsPerBatch: Int?
        /// First reconnect delay; it doubles on each failure up to `maxReconnectDelay`.
        public var initialReconnectDelay: Duration = .milliseconds(100)
        /// Longest reconnect delay.
        public var maxReconnectDelay: Duration = .seconds(5)
        /// Called with each rejected line (a dead-letter hook).
        public var onRejected: (@Sendable (RejectedRecord) -> Void)?

        /// The defaults: every field as declared.
        public init() {}
    }

    /// What the reader has done so far.
    public struct Statistics: Sendable {
        /// Connections made.
        public var connects = 0
        /// Connection attempts that failed (each retried after a backoff).
        public var failedConnects = 0
        /// Connections the server closed or that broke.
        public var disconnects = 0
        /// Lines received.
        public var lines = 0
        /// Lines rejected (too long, not UTF-8).
        public var rejected = 0
    }

    /// The server's host name or address.
    public let host: String
    /// The server's port.
    public let port: Int
    /// Limits, reconnection and the dead-letter hook.
    public let options: Options
    private let buffer: ReceiverBuffer<String>
    private let condition = NSCondition()
    private var stopped = false
    private var socket: Int32 = -1
    private var stats = Statistics()
    /// Set when the buffer filled up (reported once until a batch takes from it).
    private var bufferFull = false
    private var warnings: [String] = []
    private let logger = Logger(label: "StreamCore.socket")

    /// A source that connects to `host:port` when the context starts.
    public init(host: String, port: Int, options: Options = Options()) {
        self.host = host
        self.port = port
        self.options = options
        buffer = ReceiverBuffer(capacity: options.bufferCapacity, maxRecordsPerBatch: options.maxRecordsPerBatch)
    }

    /// A snapshot of the reader's counters.
    public var statistics: Statistics { locked { stats } }

    public func start() throws {
        let thread = Thread { [self] in readLoop() }
        thread.name = "StreamCore.socket \(host):\(port)"
        thread.start()
    }

    public func stop() {
        locked {
            stopped = true
            if socket >= 0 { shutdown(socket, Int32(SHUT_RDWR)) }
            condition.broadcast()
        }
        buffer.close()
    }

    public func records(for time: BatchTime) throws -> [String] {
        locked { bufferFull = false }
        return buffer.take()
    }

    public func takeWarnings() -> [String] {
        locked {
            defer { warnings.removeAll() }
            return warnings
        }
    }

    private func warn(_ message: String) {
        locked { warnings.append(message) }
    }
    public var waitingRecords: Int { buffer.count }

    /// Returns once at least `count` records wait for the next batch (or the source stopped):
    /// an explicit signal for tests and replays, instead of sleeping.
    public func waitForRecords(_ count: Int) async {
        await buffer.waitForRecords(count)
    }
    public var rejectedRecords: Int { locked { stats.rejected } }

    private func readLoop() {
        var delay = options.initialReconnectDelay
        var consecutiveFailures = 0
        while !locked({ stopped }) {
            let connection = connectSocket()
            guard case .success(let fd) = connection else {
                locked { stats.failedConnects += 1 }
                consecutiveFailures += 1
                if consecutiveFailures == 1, case .failure(let reason) = connection {
                    let message =
                        "cannot connect to \(host):\(port) (\(reason.description)); retrying with backoff up to \(options.maxReconnectDelay)"
                    logger.warning("\(message)")
                    warn(message)
                }
                pause(delay)
                delay = min(delay * 2, options.maxReconnectDelay)
                continue
            }
            delay = options.initialReconnectDelay
            consecutiveFailures = 0
            logger.info("connected to \(host):\(port)")
            let keep = locked { () -> Bool in
                if stopped { return false }
                socket = fd
                stats.connects += 1
                return true
            }
            if keep { readLines(from: fd) }
            let dropped = locked { () -> Bool in
                socket = -1
                if !stopped { stats.disconnects += 1 }
                return !stopped
            }
            if dropped { logger.warning("\(host):\(port) closed the connection; reconnecting") }
            close(fd)
            if !locked({ stopped }) { pause(delay) }
        }
    }

    private func readLines(from fd: Int32) {
        var framer = LineFramer(maxLineBytes: options.maxLineBytes)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let deliver: (Result<String, LineFramer.Rejection>, ArraySlice<UInt8>) -> Void = { [self] result, bytes in
            switch result {
            case .success(let line):
                if buffer.count >= buffer.capacity, locked({ !bufferFull }) {
                    locked { bufferFull = true }
                    let message =
                        "\(buffer.capacity) lines wait for the next batch: reading from \(host):\(port) pauses "
                        + "(TCP slows the sender) until a batch takes them; raise bufferCapacity or shorten the batch interval"
                    logger.warning("\(message)")
                    warn(message)
                }
                buffer.push(line)
                locked { stats.lines += 1 }
            case .failure(let rejection):
                let rejected = locked { () -> Int in
                    stats.rejected += 1
                    return stats.rejected
                }
                if rejected == 1 || rejected % 1000 == 0 {
                    let message =
                        "rejected a line from \(host):\(port): \(rejection) (\(rejected) so far; see BatchInfo.rejectedRecords)"
                    logger.warning("\(message)")
                    warn(message)
                }
                options.onRejected?(RejectedRecord(source: "\(host):\(port)", reason: "\(rejection)", bytes: bytes))
            }
        }
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { break }
            framer.append(chunk[0..<n], deliver)
        }
        framer.finish(deliver)
    }

    /// Why a connection could not be made.
    private struct ConnectFailure: Error, CustomStringConvertible {
        let description: String
    }

    private func connectSocket() -> Result<Int32, ConnectFailure> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(host, String(port), &hints, &list)
        guard resolved == 0, let first = list else {
            let reason = resolved == EAI_SYSTEM ? String(cString: strerror(errno)) : String(cString: gai_strerror(resolved))
            return .failure(ConnectFailure(description: "cannot resolve \(host): \(reason)"))
        }
        defer { freeaddrinfo(list) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        var reason = "no address"
        while let info = entry {
            let fd = Glibc.socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            if fd >= 0 {
                if connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 {
                    guard !isConnectedToItself(fd) else {
                        close(fd)
                        return .failure(
                            ConnectFailure(description: "nothing listens there (the connection looped back to itself)"))
                    }
                    return .success(fd)
                }
                reason = String(cString: strerror(errno))
                close(fd)
            } else {
                reason = String(cString: strerror(errno))
            }
            entry = info.pointee.ai_next
        }
        return .failure(ConnectFailure(description: reason))
    }

    /// Whether a connection to a local port that nothing listens on met itself: TCP's
    /// simultaneous open connects a socket whose ephemeral port equals the one it dials to
    /// itself, and reading from it would wait for ever.
    private func isConnectedToItself(_ fd: Int32) -> Bool {
        var local = sockaddr_storage(), peer = sockaddr_storage()
        var localLength = socklen_t(MemoryLayout<sockaddr_storage>.size), peerLength = localLength
        let named = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &localLength) }
        }
        let peered = withUnsafeMutablePointer(to: &peer) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &peerLength) }
        }
        guard named == 0, peered == 0, localLength == peerLength else { return false }
        return withUnsafeBytes(of: &local) { l in
            withUnsafeBytes(of: &peer) { p in memcmp(l.baseAddress!, p.baseAddress!, Int(localLength)) == 0 }
        }
    }

    /// Waits `delay`, or less if the source is stopped meanwhile.
    private func pause(_ delay: Duration) {
        let deadline = Date().addingTimeInterval(Double(delay.wholeMilliseconds) / 1000)
        condition.lock()
        while !stopped, Date() < deadline { _ = condition.wait(until: deadline) }
        condition.unlock()
    }

    private func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }
}

extension StreamingContext {
    /// Lines of text from a TCP server, e.g. `nc -lk 9999` (Spark's `socketTextStream`).
    public func socketTextStream(
        host: String, port: Int, options: SocketTextSource.Options = SocketTextSource.Options()
    ) -> DStream<String> {
        stream(from: SocketTextSource(host: host, port: port, options: options), name: "socket \(host):\(port)")
    }
}
